package io.raftdb.kv;

/**
 * The operation codes of the wire format. Commands and queries have separate ranges, so that a
 * query submitted as a command (or the reverse) is recognised and refused with a clear message.
 * Code 0 is never an operation: in a result it marks an error.
 */
enum KvOp {
  PUT(0x01, true),
  APPEND(0x02, true),
  DELETE(0x03, true),
  COMPARE_AND_SET(0x04, true),
  PUT_IF(0x05, true),
  INCREMENT(0x06, true),
  BATCH(0x07, true),
  GET(0x11, false),
  SCAN(0x12, false),
  COUNT(0x13, false),
  QUERY_BATCH(0x14, false),
  SCAN_KEYS(0x15, false);

  /** The op byte of an error result. */
  static final int ERROR = 0;

  final int code;
  final boolean isCommand;

  KvOp(int code, boolean isCommand) {
    this.code = code;
    this.isCommand = isCommand;
  }

  /** The operation with {@code code}, or {@code null}. */
  static KvOp ofCode(int code) {
    for (KvOp op : values()) {
      if (op.code == code) {
        return op;
      }
    }
    return null;
  }

  /** The operation of {@code request}. */
  static KvOp of(KvRequest<?> request) {
    if (request instanceof KvCommand.Put) {
      return PUT;
    } else if (request instanceof KvCommand.Append) {
      return APPEND;
    } else if (request instanceof KvCommand.Delete) {
      return DELETE;
    } else if (request instanceof KvCommand.CompareAndSet) {
      return COMPARE_AND_SET;
    } else if (request instanceof KvCommand.PutIf) {
      return PUT_IF;
    } else if (request instanceof KvCommand.Increment) {
      return INCREMENT;
    } else if (request instanceof KvCommand.Batch) {
      return BATCH;
    } else if (request instanceof KvQuery.Batch) {
      return QUERY_BATCH;
    } else if (request instanceof KvQuery.ScanKeys) {
      return SCAN_KEYS;
    } else if (request instanceof KvQuery.Get) {
      return GET;
    } else if (request instanceof KvQuery.Scan) {
      return SCAN;
    } else if (request instanceof KvQuery.Count) {
      return COUNT;
    }
    throw new AssertionError("unknown request type " + request.getClass());
  }
}
