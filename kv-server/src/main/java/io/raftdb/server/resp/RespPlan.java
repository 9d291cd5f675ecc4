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

  /**
   * A step that needs the store. Consecutive steps of one kind of a connection form a run, and
   * runs of many connections one batch.
   *
   * @param <R> the kind of request
   */
  sealed interface StoreStep<R> extends RespPlan {
    /** The requests, in order. */
    List<R> requests();

    /** Writes the reply from this step's share of the outcomes. */
    Responder responder();

    /** The command's argument bytes, which bound a batch's size. */
    int bytes();
  }

  /** Changes the store: the commands apply in order, in one log entry with their batch. */
  record Write(List<KvCommand<?>> requests, Responder responder, int bytes)
      implements StoreStep<KvCommand<?>> {}

  /** Reads the store, linearizably, from one state with the rest of its batch. */
  record Read(List<KvQuery<?>> requests, Responder responder, int bytes)
      implements StoreStep<KvQuery<?>> {}

  /** Every key matching a pattern: a series of scans, run by the connection. */
  record AllKeys(Optional<ByteString> pattern) implements RespPlan {}
}
