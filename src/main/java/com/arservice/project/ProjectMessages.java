package com.arservice.project;

import java.util.UUID;

/**
 * The event-bus messages of the projects verticle, as records handed over by reference (see
 * {@link com.arservice.common.LocalCodecs}). Failures come from {@link com.arservice.queue.JobFailure}.
 */
public final class ProjectMessages {
  private ProjectMessages() {
  }

  /** Store a new project and its compile job. */
  public record Create(UUID projectId, CompileRequest request, String viewUrl) {
  }

  /** A stored project, to {@code full} holders of the API token with the customer's ids. */
  public record Find(UUID projectId, boolean full) {
  }

  /** A compile attempt (0 for the first) starts. */
  public record Processing(UUID projectId, int attempt) {
  }

  /** A step event of the pipeline. */
  public record Step(UUID projectId, StepEvent event) {
  }

  /** The pipeline finished; {@code jobId}, held by {@code workerId}, completes with the project. */
  public record Ready(UUID projectId, CompileResult result, UUID jobId, String workerId) {
  }
}
