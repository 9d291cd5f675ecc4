package io.raftdb.kv;

/**
 * A key-value state machine driven directly, as the log and the read path would drive it: the
 * steps the state machine's tests share.
 */
abstract class KvFixture {
  final KvStateMachine kv;
  final KvCodec codec;
  private long index;

  KvFixture(KvLimits limits) {
    this.kv = new KvStateMachine(limits);
    this.codec = new KvCodec(limits);
  }

  static ByteString s(String text) {
    return ByteString.utf8(text);
  }

  /** Applies {@code command} as the next log entry and decodes its result. */
  <R> R submit(KvCommand<R> command) {
    return codec.decodeResult(command, applyBytes(codec.encode(command)));
  }

  /** Runs {@code query} and decodes its answer. */
  <R> R query(KvQuery<R> query) {
    return codec.decodeResult(query, kv.query(codec.encode(query)));
  }

  /** Applies raw bytes as the next log entry, as a command a client encoded its own way. */
  byte[] applyBytes(byte[] command) {
    return kv.apply(++index, command);
  }
}
