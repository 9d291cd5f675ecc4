package io.raftdb.server.resp;

import io.netty.handler.codec.DecoderException;

/** Bytes that are not a RESP request; the message is Redis's own, after {@code ERR}. */
public final class RespProtocolException extends DecoderException {
  RespProtocolException(String message) {
    super(message);
  }
}
