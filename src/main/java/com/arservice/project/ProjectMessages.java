package com.arservice.project;

import java.util.List;
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
}
