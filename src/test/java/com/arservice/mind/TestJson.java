package com.arservice.mind;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal JSON reader for test fixtures: objects, arrays, strings without escapes beyond \",
 * numbers, literals.
 */
final class TestJson {
  private final String s;
  private int i;

  private TestJson(String s) {
    this.s = s;
  }

  static Object resource(String name) throws IOException {
    try (InputStream in = TestJson.class.getResourceAsStream(name)) {
      return new TestJson(new String(in.readAllBytes(), StandardCharsets.UTF_8)).value();
    }
  }

  static byte[] bytes(String name) throws IOException {
    try (InputStream in = TestJson.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  private Object value() {
    skip();
    char c = s.charAt(i);
    switch (c) {
      case '{':
        {
          i++;
          Map<String, Object> m = new LinkedHashMap<>();
          skip();
          if (s.charAt(i) == '}') {
            i++;
            return m;
          }
          while (true) {
            skip();
            String k = (String) value();
            skip();
            i++; // ':'
            m.put(k, value());
            skip();
            if (s.charAt(i++) == '}') {
              return m;
            }
          }
        }
      case '[':
        {
          i++;
          List<Object> l = new ArrayList<>();
          skip();
          if (s.charAt(i) == ']') {
            i++;
            return l;
          }
          while (true) {
            l.add(value());
            skip();
            if (s.charAt(i++) == ']') {
              return l;
            }
          }
        }
      case '"':
        {
          StringBuilder b = new StringBuilder();
          i++;
          while (s.charAt(i) != '"') {
            if (s.charAt(i) == '\\') {
              i++;
            }
            b.append(s.charAt(i++));
          }
          i++;
          return b.toString();
        }
      default:
        {
          if (s.startsWith("null", i)) {
            i += 4;
            return null;
          }
          if (s.startsWith("true", i)) {
            i += 4;
            return true;
          }
          if (s.startsWith("false", i)) {
            i += 5;
            return false;
          }
          int st = i;
          while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
          }
          return Double.parseDouble(s.substring(st, i));
        }
    }
  }

  private void skip() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }
}
