package com.arservice.project;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The event-bus messages of the projects verticle, as records handed over by reference (see {@link
 * com.arservice.common.LocalCodecs}). Failures come from {@link com.arservice.queue.JobFailure}.
 */
public final class ProjectMessages {
  private ProjectMessages() {}

  /** Store a new project and its compile job. */
  public record Create(UUID projectId, CompileRequest request, String viewUrl) {}

  /** A stored project, to {@code full} holders of the API token with the customer's ids. */
  public record Find(UUID projectId, boolean full) {}

  /** A compile attempt (0 for the first) starts. */
  public record Processing(UUID projectId, int attempt) {}

  /** A step event of the pipeline. */
  public record Step(UUID projectId, StepEvent event) {}

  /** The pipeline finished; {@code jobId}, held by {@code workerId}, completes with the project. */
  public record Ready(UUID projectId, CompileResult result, UUID jobId, String workerId) {}

  /** Up to {@code limit} expired demos due for cleanup; answered with {@link ProjectIds}. */
  public record ExpiredDemos(int limit) {}

  /** Project ids, in the order asked for. */
  public record ProjectIds(List<UUID> ids) {
    public ProjectIds {
      ids = List.copyOf(ids);
    }
  }

  /** The upload URLs that pending or processing projects use; answered with {@link Uploads}. */
  public record UploadsInUse() {}

  /** Upload URLs. */
  public record Uploads(Set<String> urls) {
    public Uploads {
      urls = Set.copyOf(urls);
    }
  }

  /**
   * Mark a project deleted and emit {@code ar.project.deleted}; answered with whether this deleted
   * it.
   */
  public record Delete(UUID projectId, String reason) {}

  /**
   * A page of projects for the console, newest first; null filters match everything. Answered with
   * {@code {projects, next}}.
   */
  public record Page(
      String status,
      String userId,
      String orderId,
      String q,
      Boolean demo,
      PageCursor after,
      int limit) {}

  /** Counts for the console over the last {@code hours} hours; answered with JSON. */
  public record Stats(int hours) {}

  /** A new compile attempt for a project in error. */
  public record Retry(UUID projectId) {}

  /**
   * What a live stream has not sent yet: the status and the step-log lines after {@code afterLine};
   * answered with {@link Changes}.
   */
  public record Since(UUID projectId, long afterLine, boolean full) {}

  /**
   * A project's status (API shape), its step-log lines after the asked-for one, with ids, and when
   * the project row last changed.
   */
  public record Changes(
      io.vertx.core.json.JsonObject status,
      io.vertx.core.json.JsonArray lines,
      OffsetDateTime updatedAt) {}

  /** How far each of these projects has come, in one query; answered with {@link Versions}. */
  public record Recheck(List<UUID> projectIds) {}

  /** When a project row last changed and its newest step-log line (0: none). */
  public record Version(OffsetDateTime updatedAt, long lastLine) {}

  /** The versions of the rechecked projects that exist. */
  public record Versions(Map<UUID, Version> byProject) {}
}
