package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The request log writes what clients send as one escaped, bounded line: no request can start a
 * line of its own, colour a terminal or flood the log.
 */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class RequestLogTest {
  private final Logger log = (Logger) LoggerFactory.getLogger("http");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    // captured, not printed: the test output stays quiet
    lines.start();
    log.addAppender(lines);
    log.setLevel(Level.INFO);
    log.setAdditive(false);
  }

  @AfterEach
  void release() {
    log.detachAppender(lines);
    log.setLevel(null);
    log.setAdditive(true);
  }

  @Test
  void controlCharactersInThePathAndAnOverlongMethodAreLoggedEscapedOnOneLine(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness service = new ServiceHarness(dir, db, Clock.systemUTC(), Map.of())) {
      int port = service.app.port();
      // (a raw CR, tab or space ends the request line: the server answers 400 before any route)
      String hostile = "/x\u001b[31m\u0007INFO\u0001GET_/admin\u0085\u007f%0d%0a";
      send(port, "GET " + hostile + " HTTP/1.1");
      String method = "M".repeat(1000);
      send(port, method + " /health/live HTTP/1.1");

      List<String> messages =
          Await.value(
              "both requests are logged",
              Duration.ofSeconds(10),
              () -> lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList(),
              l -> l.size() >= 2);
      String path = messages.stream().filter(m -> m.contains("/x")).findFirst().orElseThrow();
      assertEquals(
          "GET /x\\u001b[31m\\u0007INFO\\u0001GET_/admin\\u0085\\u007f%0d%0a 404",
          path.replaceFirst(" \\d+ms$", ""));
      String odd = messages.stream().filter(m -> m.startsWith("MMM")).findFirst().orElseThrow();
      assertTrue(odd.startsWith("M".repeat(200) + "...(1000 chars) /health/live "), odd);
      for (String message : messages) {
        assertFalse(message.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)), message);
      }
    }
  }

  /** One raw request (what an HTTP client library would refuse to send); waits for the answer. */
  private static void send(int port, String requestLine) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      in.readAllBytes();
    }
  }
}
