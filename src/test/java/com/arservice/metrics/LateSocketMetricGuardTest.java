package com.arservice.metrics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.Test;

/**
 * The race itself is rare (see StartupRequestsIT); here its effect, a request without a socket
 * metric, is forced.
 */
class LateSocketMetricGuardTest {
  private static final SocketAddress SERVER = SocketAddress.inetSocketAddress(5000, "127.0.0.1");

  @Test
  void aRequestOnAConnectionTheMetricsNeverSawPassesTheGuardWhereTheLibraryThrows() {
    VertxMetrics library = libraryMetrics();
    HttpServerMetrics<Object, Object, Object> raw = serverMetrics(library);
    assertThrows(
        NullPointerException.class,
        () -> raw.requestBegin(null, request()),
        "vertx-micrometer-metrics fails on a missing socket metric (if this changes, the guard may go)");

    HttpServerMetrics<Object, Object, Object> guarded =
        serverMetrics(new LateSocketMetricGuard(library));
    Object requestMetric = assertDoesNotThrow(() -> guarded.requestBegin(null, request()));
    assertNull(requestMetric);
    assertDoesNotThrow(
        () -> {
          guarded.requestRouted(null, "/health");
          guarded.requestEnd(null, request(), 0);
          guarded.responseEnd(null, null, 10);
          guarded.bytesRead(null, SERVER, 10);
          guarded.disconnected(null, SERVER);
        });
  }

  private static VertxMetrics libraryMetrics() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true);
    return new MicrometerMetricsFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
        .metrics(new VertxOptions().setMetricsOptions(options));
  }

  @SuppressWarnings("unchecked")
  private static HttpServerMetrics<Object, Object, Object> serverMetrics(VertxMetrics metrics) {
    return (HttpServerMetrics<Object, Object, Object>)
        metrics.createHttpServerMetrics(new HttpServerOptions(), SERVER);
  }

  private static HttpRequest request() {
    return new HttpRequest() {
      @Override
      public int id() {
        return 1;
      }

      @Override
      public String uri() {
        return "/health";
      }

      @Override
      public String absoluteURI() {
        return "http://127.0.0.1:5000/health";
      }

      @Override
      public HttpMethod method() {
        return HttpMethod.GET;
      }

      @Override
      public MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap();
      }

      @Override
      public SocketAddress remoteAddress() {
        return SocketAddress.inetSocketAddress(40000, "127.0.0.1");
      }
    };
  }
}
