package com.arservice.http;

import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.project.PageCursor;
import com.arservice.project.ProjectMessages.Page;
import com.arservice.project.ProjectMessages.Stats;
import com.arservice.project.ProjectStore;
import com.arservice.queue.JobState;
import com.arservice.queue.JobStore;
import com.arservice.webhook.WebhookStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The console's reads: {@code GET /admin/projects} and {@code GET /admin/stats}. */
final class AdminRoutes {
  static final int DEFAULT_LIMIT = 25;
  static final int MAX_LIMIT = 100;

  /** The overview's window: compilations per hour over the last day. */
  private static final int HOURS = 24;

  /** Instances not seen for this long are left out of the overview. */
  private static final Duration INSTANCES_WITHIN = Duration.ofHours(1);

  private static final List<String> STATUSES =
      List.of("pending", "processing", "ready", "error", "deleted");

  private final Vertx vertx;
  private final JobStore jobs;
  private final WebhookStore webhooks;
  private final Path storage;
  private final Clock clock;

  AdminRoutes(Vertx vertx, JobStore jobs, WebhookStore webhooks, Path storage, Clock clock) {
    this.vertx = vertx;
    this.jobs = jobs;
    this.webhooks = webhooks;
    this.storage = storage;
    this.clock = clock;
  }

  void projects(RoutingContext ctx) {
    MultiMap q = ctx.queryParams();
    String status = blankToNull(q.get("status"));
    if (status != null && !STATUSES.contains(status)) {
      throw new ServiceException(Code.BAD_REQUEST, "status: one of " + String.join(", ", STATUSES));
    }
    String demo = blankToNull(q.get("demo"));
    if (demo != null && !List.of("true", "false").contains(demo)) {
      throw new ServiceException(Code.BAD_REQUEST, "demo: true or false");
    }
    String after = blankToNull(q.get("after"));
    Page page =
        new Page(
            status,
            blankToNull(q.get("userId")),
            blankToNull(q.get("orderId")),
            blankToNull(q.get("q")),
            demo == null ? null : Boolean.valueOf(demo),
            after == null ? null : PageCursor.decode(after),
            limit(q.get("limit")));
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.PROJECT_PAGE, page)
        .map(Message::body)
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  void stats(RoutingContext ctx) {
    Future<JsonObject> projects =
        vertx
            .eventBus()
            .<JsonObject>request(Addresses.PROJECT_STATS, new Stats(HOURS))
            .map(Message::body);
    Future<Map<JobState, Integer>> depth = jobs.depth(ProjectStore.COMPILE_QUEUE);
    var instances = jobs.instances(INSTANCES_WITHIN);
    Future<JsonObject> hooks = webhooks.stats();
    var disk = vertx.fileSystem().fsProps(storage.toString());
    Future.all(projects, depth, instances, hooks, disk)
        .map(
            v -> {
              JsonObject jobStates = new JsonObject();
              depth.result().forEach((state, n) -> jobStates.put(state.sql(), n));
              return new JsonObject()
                  .put("generatedAt", clock.instant().toString())
                  .put("jobs", jobStates)
                  .put("projects", projects.result())
                  .put("webhooks", hooks.result())
                  .put(
                      "disk",
                      new JsonObject()
                          .put("freeBytes", disk.result().usableSpace())
                          .put("totalBytes", disk.result().totalSpace()))
                  .put("instances", instances.result());
            })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private static int limit(String raw) {
    if (raw == null || raw.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ServiceException(Code.BAD_REQUEST, "limit: a whole number from 1 to " + MAX_LIMIT);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
