package io.raftdb.server.resp;

import io.netty.buffer.ByteBuf;
import io.raftdb.kv.ByteString;
import io.raftdb.kv.KvCommand;
import io.raftdb.kv.KvQuery;
import java.util.List;
import java.util.Optional;

/**
 * What one RESP command needs from the store and how its reply is written. A connection runs
 * its commands' plans in order; consecutive writes travel as one batch, consecutive reads as
 * another.
 */
sealed interface RespPlan {

  /** Writes a command's reply from its share of a batch's outcomes. */
  @FunctionalInterface
  interface Responder {
    void reply(ByteBuf out, Outcomes outcomes);
  }

  /** Answered by the node itself, without the store. */
  record Local(Responder responder, boolean closeAfter) implements RespPlan {
    Local(Responder responder) {
      this(responder, false);
    }
  }

  /** Changes the store: {@code commands} apply in order, in one log entry with their batch. */
  record Write(List<KvCommand<?>> commands, Responder responder, int bytes) implements RespPlan {}

  /** Reads the store, linearizably. */
  record Read(List<KvQuery<?>> queries, Responder responder, int bytes) implements RespPlan {}

  /** Every key matching a pattern: a series of scans, run by the connection. */
  record AllKeys(Optional<ByteString> pattern) implements RespPlan {}
}
