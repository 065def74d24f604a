package com.arservice.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Closes a connection whose client takes longer than the header timeout to send a request's head,
 * counted from opening the connection or from the end of its previous response. The server's idle
 * timeout does not catch a client that sends one byte now and then (half a request line, a header a
 * minute), and Vert.x has no timeout of its own for the head. A request being served, however long
 * (a live stream, a large upload), is left to the idle timeout.
 */
final class HeaderTimeout {
  private static final String COUNTED = HeaderTimeout.class.getName();

  private final Vertx vertx;
  private final long millis;

  /** Each open connection's state; only touched on the server's event loop. */
  private final Map<HttpConnection, Watch> watches = new HashMap<>();

  HeaderTimeout(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.millis = timeout.toMillis();
  }

  /** A connection was accepted: its first request's head is due within the timeout. */
  void connected(HttpConnection connection) {
    Watch watch = new Watch(connection);
    watches.put(connection, watch);
    connection.closeHandler(
        v -> {
          watches.remove(connection);
          watch.closed = true;
          watch.disarm();
        });
    watch.arm();
  }

  /** A request's head has arrived: no deadline until its response has ended. */
  void requestArrived(RoutingContext ctx) {
    Watch watch = watches.get(ctx.request().connection());
    // a rerouted request passes here again
    if (watch != null && ctx.get(COUNTED) == null) {
      ctx.put(COUNTED, true);
      watch.serving++;
      watch.disarm();
      ctx.addEndHandler(
          ended -> {
            watch.serving--;
            if (watch.serving == 0) {
              watch.arm();
            }
          });
    }
    ctx.next();
  }

  private final class Watch {
    private final HttpConnection connection;
    private int serving;
    private boolean closed;
    private long timer = -1;

    Watch(HttpConnection connection) {
      this.connection = connection;
    }

    void arm() {
      disarm();
      if (closed) {
        return;
      }
      timer = vertx.setTimer(millis, id -> connection.close());
    }

    void disarm() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
