package com.arservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.testing.Processes;
import com.arservice.testing.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that arrive the instant the port opens: clients hammer the port of a starting jar from
 * before it listens until it is healthy, and every connection that was accepted gets an answer.
 */
class StartupRequestsIT {
  private static final Duration START = Duration.ofSeconds(90);

  /** Far longer than a health answer takes, far shorter than forever. */
  private static final int ANSWER_TIMEOUT_MS = 10_000;

  private static final int CLIENTS = 2;
  private static final int STARTS = 3;

  /** Answered requests per start; the clients go on after health until there are this many. */
  private static final int MIN_ANSWERED = 50;

  @Test
  void everyConnectionAcceptedWhileTheServiceStartsIsAnswered(@TempDir Path dir) throws Exception {
    // The race is narrow: several starts make a regression show up in most runs of this test.
    for (int start = 0; start < STARTS; start++) {
      Path log = dir.resolve("service-" + start + ".log");
      int answered = hammerDuringStartUp(dir.resolve("data"), log);
      assertTrue(answered >= MIN_ANSWERED, "requests were answered: " + answered);
      assertFalse(Files.readString(log).contains("NullPointerException"), Files.readString(log));
    }
  }

  /**
   * Starts the jar while clients hammer its port, until it is healthy; returns the answered
   * requests.
   */
  private static int hammerDuringStartUp(Path data, Path log) throws Exception {
    int port = Processes.freePort();
    // The jar needs seconds to open its port, so the clients below start well before it listens.
    Process service =
        ServiceProcess.start(
            Map.of("AR_DATA_DIR", data.toString(), "PORT", Integer.toString(port)), log);
    AtomicBoolean healthy = new AtomicBoolean();
    AtomicInteger answered = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      String path = i % 2 == 0 ? "/health/live" : "/health";
      Thread client =
          new Thread(
              () -> {
                while (service.isAlive() && (!healthy.get() || answered.get() < MIN_ANSWERED)) {
                  if (answered(port, path)) {
                    answered.incrementAndGet();
                  }
                }
              },
              "startup-client-" + i);
      client.setUncaughtExceptionHandler((t, e) -> failures.add(e.getMessage()));
      client.start();
      clients.add(client);
    }
    try {
      ServiceProcess.awaitOk(port, "/health", service, START);
    } finally {
      healthy.set(true);
      for (Thread t : clients) {
        t.join(START.toMillis());
      }
      assertTrue(ServiceProcess.stop(service), "exits within a minute of SIGTERM");
    }
    assertEquals(List.of(), List.copyOf(failures), "connections accepted but not answered");
    return answered.get();
  }

  /**
   * One {@code GET path} on a fresh connection: false when the port refused it (not listening yet),
   * true when answered; an accepted connection without an answer is an error.
   */
  private static boolean answered(int port, String path) {
    try (Socket socket = new Socket()) {
      try {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      } catch (ConnectException | SocketTimeoutException notListening) {
        return false;
      }
      socket.setSoTimeout(ANSWER_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = statusLine(socket.getInputStream());
      if (!status.startsWith("HTTP/1.1 ")) {
        throw new AssertionError("GET " + path + " was accepted but answered '" + status + "'");
      }
      return true;
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "GET " + path + " was accepted and not answered within " + ANSWER_TIMEOUT_MS + " ms");
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " was accepted and then failed: " + e);
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString().trim();
  }
}
