package io.raftdb.server.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** One decoded request: its arguments, the first being the command's name. */
final class RespCommand {
  private final List<byte[]> args;

  RespCommand(List<byte[]> args) {
    this.args = args;
  }

  int size() {
    return args.size();
  }

  byte[] arg(int i) {
    return args.get(i);
  }

  /** The command's name, upper-cased. */
  String name() {
    return new String(args.get(0), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
  }

  /** Argument {@code i} as Redis reads an integer argument. */
  long argAsLong(int i) {
    String text = new String(args.get(i), StandardCharsets.ISO_8859_1);
    try {
      if (!text.isEmpty() && text.length() <= 20 && !text.startsWith("+")
          && (text.equals("0") || !text.startsWith("0") && !text.startsWith("-0"))) {
        return Long.parseLong(text);
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new RespError("ERR value is not an integer or out of range");
  }
}
