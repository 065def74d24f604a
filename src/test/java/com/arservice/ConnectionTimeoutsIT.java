package com.arservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.arservice.testing.PostgresExtension;
import com.arservice.testing.Processes;
import com.arservice.testing.RawHttp;
import com.arservice.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar with a 1 s header timeout and a 2 s idle timeout, seen from raw sockets: connections that
 * send nothing, half a request line or half a body are closed; a live stream and an upload that
 * keeps sending stay open well past both timeouts.
 */
@ExtendWith(PostgresExtension.class)
class ConnectionTimeoutsIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final int SILENT = 200;

  /** Longer than both timeouts together: what is still open then was not cut. */
  private static final long HELD_MS = 4_000;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void silentHalfSentAndStalledConnectionsAreClosedWhileALiveStreamAndASlowUploadGoOn(
      @TempDir Path dir) throws Exception {
    Path uploads = Files.createDirectories(dir.resolve("uploads"));
    byte[] photo;
    try (InputStream in = getClass().getResourceAsStream("/photos/landscape-800x640.jpg")) {
      photo = in.readAllBytes();
    }
    Files.write(uploads.resolve("p.jpg"), photo);
    int port = Processes.freePort();
    // the api role compiles nothing, so the project stays pending and its stream stays open
    Process service =
        ServiceProcess.start(
            Map.of(
                "PORT",
                Integer.toString(port),
                "AR_BIND_ADDRESS",
                "127.0.0.1",
                "AR_ROLE",
                "api",
                "AR_DATA_DIR",
                dir.resolve("data").toString(),
                "AR_DATABASE_URL",
                PostgresExtension.url().uri(),
                "SHARED_UPLOADS_PATH",
                uploads.toString(),
                "AR_HTTP_HEADER_TIMEOUT",
                "PT1S",
                "AR_HTTP_IDLE_TIMEOUT",
                "PT2S",
                "AR_SSE_HEARTBEAT",
                "PT0.5S"),
            dir.resolve("service.log"));
    List<Socket> sockets = new ArrayList<>();
    try {
      ServiceProcess.awaitOk(port, "/health/live", service, START);
      String id =
          new JsonObject(
                  http.send(
                          HttpRequest.newBuilder(uri(port, "/compile"))
                              .POST(
                                  HttpRequest.BodyPublishers.ofString(
                                      new JsonObject()
                                          .put("userId", "u")
                                          .put("photoUrl", "/objects/uploads/p.jpg")
                                          .encode()))
                              .header("Content-Type", "application/json")
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .getString("projectId");

      List<Socket> silent = new ArrayList<>();
      for (int i = 0; i < SILENT; i++) {
        silent.add(open(port, sockets));
      }
      Socket halfLine = open(port, sockets);
      send(halfLine, "GET /health/li");
      Socket halfHeaders = open(port, sockets);
      send(halfHeaders, "GET /health/live HTTP/1.1\r\nHost: localhost\r\n");
      Socket halfBody = open(port, sockets);
      send(
          halfBody,
          "POST /uploads HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\n"
              + "Content-Length: 100000\r\n\r\n0123456789");
      Socket keptAlive = open(port, sockets);
      send(keptAlive, "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertEquals(200, RawHttp.readResponse(keptAlive.getInputStream()));

      // a header byte every quarter second: never idle, but the head never ends
      CompletableFuture<Boolean> slowHeaders =
          CompletableFuture.supplyAsync(() -> cutWhileTrickling(port, sockets));
      CompletableFuture<String> stream =
          CompletableFuture.supplyAsync(() -> holdStream(port, id, sockets));
      int uploaded = slowUpload(port, photo, sockets);
      assertEquals(201, uploaded, "an upload that keeps sending is not cut");
      String events = stream.join();
      assertTrue(events.contains("event: status"), events);
      assertTrue(
          events.split(": heartbeat", -1).length > HELD_MS / 500 - 2,
          "heartbeats kept coming: " + events);

      assertTrue(slowHeaders.join(), "a head sent a byte at a time was cut");
      for (Socket s : silent) {
        assertClosed(s, "a connection that sent nothing");
      }
      assertClosed(halfLine, "half a request line");
      assertClosed(halfHeaders, "a request head without its end");
      assertClosed(halfBody, "a body that stopped");
      assertClosed(keptAlive, "a kept-alive connection with no next request");
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
      ServiceProcess.stop(service);
      // the pending project's job is for no later test
      PostgresExtension.emptyTables();
    }
  }

  /**
   * Reads {@code GET /status/:id/events} for {@link #HELD_MS} and returns what arrived; fails if
   * the server closes it.
   */
  private static String holdStream(int port, String id, List<Socket> sockets) {
    try {
      Socket socket = open(port, sockets);
      send(socket, "GET /status/" + id + "/events HTTP/1.1\r\nHost: localhost\r\n\r\n");
      InputStream in = new BufferedInputStream(socket.getInputStream());
      assertTrue(RawHttp.line(in).contains(" 200 "));
      while (!RawHttp.line(in).isEmpty()) {
        // headers
      }
      socket.setSoTimeout(100);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      long end = System.nanoTime() + HELD_MS * 1_000_000;
      byte[] buffer = new byte[4096];
      while (System.nanoTime() < end) {
        try {
          int n = in.read(buffer);
          if (n < 0) {
            fail("the live stream was closed: " + body.toString(StandardCharsets.UTF_8));
          }
          body.write(buffer, 0, n);
        } catch (SocketTimeoutException quiet) {
          // between heartbeats
        }
      }
      // the chunked framing's size lines dropped
      return body.toString(StandardCharsets.UTF_8).replaceAll("(?m)^[0-9a-f]+\r\n", "");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends a request head one byte every 250 ms for {@link #HELD_MS}; whether the server closed the
   * connection meanwhile (a write failed).
   */
  private static boolean cutWhileTrickling(int port, List<Socket> sockets) {
    try {
      Socket socket = open(port, sockets);
      send(socket, "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
      for (long i = 0; i < HELD_MS / 250; i++) {
        Thread.sleep(250);
        try {
          send(socket, "a");
        } catch (IOException closed) {
          return true;
        }
      }
      return false;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code POST /uploads} of {@code photo} in 16 pieces over {@link #HELD_MS}; the status. */
  private static int slowUpload(int port, byte[] photo, List<Socket> sockets) throws Exception {
    Socket socket = open(port, sockets);
    send(
        socket,
        "POST /uploads HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\nContent-Length: "
            + photo.length
            + "\r\n\r\n");
    OutputStream out = socket.getOutputStream();
    int pieces = 16;
    for (int i = 0; i < pieces; i++) {
      Thread.sleep(HELD_MS / pieces);
      int from = photo.length * i / pieces;
      out.write(Arrays.copyOfRange(photo, from, photo.length * (i + 1) / pieces));
      out.flush();
    }
    socket.setSoTimeout(10_000);
    return RawHttp.readResponse(new BufferedInputStream(socket.getInputStream()));
  }

  /** The server has closed {@code socket}: a read ends (at once, long after the timeouts). */
  private static void assertClosed(Socket socket, String what) throws IOException {
    socket.setSoTimeout(5_000);
    try {
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // an answer before the close is allowed
      }
    } catch (SocketTimeoutException open) {
      fail(what + ": still open");
    } catch (SocketException reset) {
      // closed with unread bytes: a reset
    }
  }

  private static Socket open(int port, List<Socket> sockets) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    synchronized (sockets) {
      sockets.add(socket);
    }
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
