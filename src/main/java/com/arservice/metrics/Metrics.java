package com.arservice.metrics;

import com.arservice.common.CompileStep;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's Prometheus metrics: Vert.x's own (HTTP server by route, pools, event bus, JVM) and
 * the application's, recorded through the methods of this class. One instance per {@link Vertx},
 * found with {@link #of(Vertx)}, so any verticle can record without extra wiring.
 */
public final class Metrics {
  /** Upper bounds of the HTTP latency histogram buckets. */
  private static final Duration[] HTTP_BUCKETS =
      durations(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000);

  /**
   * Upper bounds of the compile duration histogram buckets (steps take from milliseconds to
   * minutes).
   */
  private static final Duration[] COMPILE_BUCKETS =
      durations(
          50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000,
          600_000);

  /**
   * The request methods counted by name (RFC 9110's and PATCH); any other token a client sends
   * counts as {@code OTHER}, or each made-up one would add its own series.
   */
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private static final Duration[] LOOP_BUCKETS = durations(1, 5, 10, 50, 100, 500, 1_000, 5_000);
  private static final Map<Vertx, Metrics> BY_VERTX =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final PrometheusMeterRegistry registry;
  private final Map<String, AtomicInteger> depths = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

  private Metrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * A Vert.x instance whose metrics (and those recorded here) go to a Prometheus registry of its
   * own.
   */
  public static Vertx newVertx() {
    PrometheusMeterRegistry registry = newRegistry();
    MicrometerMetricsOptions options =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            // One registry per Vert.x instance: the backend registries are shared by name across
            // the JVM.
            .setRegistryName("ar-" + UUID.randomUUID())
            // Routes, not paths: a path label would make one series per project id.
            .setLabels(
                java.util.EnumSet.of(
                    Label.HTTP_ROUTE,
                    Label.HTTP_METHOD,
                    Label.HTTP_CODE,
                    Label.POOL_TYPE,
                    Label.POOL_NAME,
                    Label.EB_ADDRESS,
                    Label.EB_FAILURE));
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(options))
            .withMetrics(
                new MicrometerMetricsFactory(registry) {
                  @Override
                  public VertxMetrics metrics(VertxOptions vertxOptions) {
                    return new LateSocketMetricGuard(super.metrics(vertxOptions));
                  }
                })
            .build();
    BY_VERTX.put(vertx, new Metrics(registry));
    return vertx;
  }

  /**
   * The metrics of {@code vertx}; an instance made without {@link #newVertx()} gets application
   * metrics only.
   */
  public static Metrics of(Vertx vertx) {
    return BY_VERTX.computeIfAbsent(vertx, v -> new Metrics(newRegistry()));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** A compile step ended ({@code completed} or {@code failed}) after {@code millis}. */
  public void compileStep(CompileStep step, String status, long millis) {
    Timer.builder("ar.compile.step.duration")
        .description("Duration of each compile pipeline step")
        .tags("step", step.logName(), "status", status)
        .register(registry)
        .record(millis, TimeUnit.MILLISECONDS);
  }

  /** A whole compile attempt ended: {@code ready} or {@code failed}. */
  public void compileFinished(String outcome, long millis) {
    Timer.builder("ar.compile.duration")
        .description("Duration of whole compile attempts")
        .tags("outcome", outcome)
        .register(registry)
        .record(millis, TimeUnit.MILLISECONDS);
  }

  /**
   * A job attempt ended in {@code state} (the job state's SQL name, so metrics need no queue
   * types): {@code completed}, {@code retry} (counted as retried) or {@code failed}; other states
   * are not counted.
   */
  public void jobEnded(String state) {
    String name =
        switch (state) {
          case "completed" -> "ar.jobs.completed";
          case "retry" -> "ar.jobs.retried";
          case "failed" -> "ar.jobs.failed";
          default -> null;
        };
    if (name != null) {
      Counter.builder(name)
          .description("Job attempts that ended this way")
          .register(registry)
          .increment();
    }
  }

  /** The latest count of jobs of {@code queue} in {@code state} (the job state's SQL name). */
  public void queueDepth(String queue, String state, int jobs) {
    depths
        .computeIfAbsent(
            queue + "/" + state,
            key -> {
              AtomicInteger value = new AtomicInteger();
              Gauge.builder("ar.queue.depth", value, AtomicInteger::get)
                  .description("Jobs in the queue by state")
                  .tags("queue", queue, "state", state)
                  .register(registry);
              return value;
            })
        .set(jobs);
  }

  /** One webhook delivery attempt ended: e.g. {@code delivered}, {@code retry}, {@code failed}. */
  public void webhookDelivered(String outcome) {
    Counter.builder("ar.webhook.deliveries")
        .description("Webhook delivery attempts by outcome")
        .tags("outcome", outcome.toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  /**
   * One cleanup run ended ({@code ok} or {@code failed}) having deleted {@code projects} projects.
   */
  public void cleanupRun(String outcome, int projects) {
    Counter.builder("ar.cleanup.runs")
        .description("Demo cleanup runs by outcome")
        .tags("outcome", outcome.toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
    Counter.builder("ar.cleanup.deleted.projects")
        .description("Projects deleted by the demo cleanup")
        .register(registry)
        .increment(projects);
  }

  /**
   * Viewer pages on devices of {@code family} (one of the device families) counted {@code count}
   * more of {@code measure} (one of the analytics measures): both bounded sets.
   */
  public void viewerEvent(String measure, String family, long count) {
    Counter.builder("ar.viewer.events")
        .description("What viewer pages reported, by measure and device family")
        .tags("measure", measure, "family", family)
        .register(registry)
        .increment(count);
  }

  /**
   * A viewer event report was refused or dropped: {@code invalid}, {@code unknown_project}, {@code
   * rate_limited}, {@code too_large} or {@code overload}.
   */
  public void viewerEventsRejected(String reason) {
    Counter.builder("ar.viewer.events.rejected")
        .description("Viewer event reports refused or dropped, by reason")
        .tags("reason", reason)
        .register(registry)
        .increment();
  }

  /**
   * One backup step ({@code base}, {@code files} or {@code verify}) by outcome ({@code ok} or
   * {@code failed}), with the time of the last good one as a gauge.
   */
  public void backupRun(String kind, String outcome, long epochSecond) {
    Counter.builder("ar.backup.runs")
        .description("Backup steps by kind and outcome")
        .tags("kind", kind, "outcome", outcome)
        .register(registry)
        .increment();
    if ("ok".equals(outcome)) {
      lastSuccess
          .computeIfAbsent(
              kind,
              k -> {
                AtomicLong last = new AtomicLong();
                Gauge.builder("ar.backup.last.success", last, AtomicLong::get)
                    .description("Unix time of the last good backup step of each kind")
                    .tags("kind", kind)
                    .register(registry);
                return last;
              })
          .set(epochSecond);
    }
  }

  /** How late an event-loop timer fired: the time the loop was busy with other work. */
  public void eventLoopDelay(long nanos) {
    Timer.builder("ar.event.loop.delay")
        .description("Lateness of a periodic timer on each event loop")
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        .meterFilter(
            MeterFilter.replaceTagValues(
                "method", method -> METHODS.contains(method) ? method : "OTHER"))
        .meterFilter(histograms("vertx.http.server.response.time", HTTP_BUCKETS))
        .meterFilter(histograms("ar.compile.", COMPILE_BUCKETS))
        .meterFilter(histograms("ar.event.loop.delay", LOOP_BUCKETS));
    return registry;
  }

  /** Histogram buckets for the timers whose names start with {@code prefix}. */
  private static MeterFilter histograms(String prefix, Duration[] buckets) {
    double[] nanos = new double[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      nanos[i] = buckets[i].toNanos();
    }
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith(prefix)) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .serviceLevelObjectives(nanos)
            .build()
            .merge(config);
      }
    };
  }

  private static Duration[] durations(long... millis) {
    Duration[] out = new Duration[millis.length];
    for (int i = 0; i < millis.length; i++) {
      out[i] = Duration.ofMillis(millis[i]);
    }
    return out;
  }
}
