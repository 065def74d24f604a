package com.arservice.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 read off a plain socket, for tests that send what no HTTP client would (made-up methods,
 * half a request) or watch when the server closes a connection.
 */
public final class RawHttp {
  private RawHttp() {}

  /** Reads one response that has a {@code Content-Length} (or no body) and returns its status. */
  public static int readResponse(InputStream in) throws IOException {
    String statusLine = line(in);
    int length = 0;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(header.substring("content-length:".length()).trim());
      }
    }
    in.readNBytes(length);
    return Integer.parseInt(statusLine.split(" ")[1]);
  }

  /** One line without its line end; fails when the connection closes first. */
  public static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed mid-line");
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII).trim();
  }
}
