package com.arservice.http;

/**
 * A client-supplied value made safe for one log line: control characters (C0, DEL, C1, the Unicode
 * line separators and the bidi overrides) as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code
 * uXXXX}, backslashes doubled so an escape cannot be forged, and at most {@link #MAX} characters,
 * so no request can start a fake line, recolour a terminal or flood the log.
 */
final class LogText {
  static final int MAX = 200;

  private LogText() {}

  static String of(Object value) {
    if (value == null) {
      return "-";
    }
    String s = value.toString();
    int end = Math.min(s.length(), MAX);
    StringBuilder b = new StringBuilder(end + 16);
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\\' -> b.append("\\\\");
        default -> {
          if (unsafe(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (s.length() > end) {
      b.append("...(").append(s.length()).append(" chars)");
    }
    return b.toString();
  }

  private static boolean unsafe(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
