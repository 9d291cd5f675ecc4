package io.raftdb.server.resp;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The front end's counters, shown by INFO. */
final class RespStats {
  final long startedMillis = System.currentTimeMillis();
  final AtomicLong connectedClients = new AtomicLong();
  final LongAdder totalConnections = new LongAdder();
  final LongAdder commandsProcessed = new LongAdder();
  final LongAdder writeBatches = new LongAdder();
  final LongAdder readBatches = new LongAdder();
  final LongAdder protocolErrors = new LongAdder();
  final AtomicLong nextConnectionId = new AtomicLong();
}
