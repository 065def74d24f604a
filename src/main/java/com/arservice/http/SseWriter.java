package com.arservice.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/**
 * Server-Sent Events on a chunked response (Vert.x has no server-side writer): each event is
 * written as it happens, never buffered, compressed or cached on the way.
 */
final class SseWriter {
  private final HttpServerResponse response;

  /** The reconnect delay, sent with the first event (a block without data is no event). */
  private String retry;

  private SseWriter(HttpServerResponse response, long reconnectMs) {
    this.response = response;
    this.retry = "retry: " + reconnectMs + "\n";
  }

  /**
   * Starts the stream: {@code text/event-stream}, not compressed (the server compresses other
   * responses, which would hold events back), not cached, not buffered by nginx, and the delay a
   * browser waits before reconnecting.
   */
  static SseWriter open(HttpServerResponse response, long reconnectMs) {
    // a stricter rule set before (a private stream: no-store) stays
    String cache = response.headers().get("Cache-Control");
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Content-Encoding", "identity")
        .putHeader("Cache-Control", (cache == null ? "no-cache" : cache) + ", no-transform")
        .putHeader("X-Accel-Buffering", "no");
    return new SseWriter(response, reconnectMs);
  }

  /** One event; {@code id} (may be null) is what a reconnect sends back as Last-Event-ID. */
  Future<Void> event(String id, String name, String data) {
    StringBuilder out = new StringBuilder();
    if (retry != null) {
      out.append(retry);
      retry = null;
    }
    if (id != null) {
      out.append("id: ").append(id).append('\n');
    }
    out.append("event: ").append(name).append('\n');
    for (String line : data.split("\n", -1)) {
      out.append("data: ").append(line).append('\n');
    }
    return write(out.append('\n').toString());
  }

  /** A comment line, which clients ignore: a heartbeat through idle proxies. */
  Future<Void> comment(String text) {
    return write(": " + text + "\n\n");
  }

  Future<Void> end() {
    return response.ended() ? Future.succeededFuture() : response.end();
  }

  private Future<Void> write(String chunk) {
    return response.closed() || response.ended() ? Future.succeededFuture() : response.write(chunk);
  }
}
