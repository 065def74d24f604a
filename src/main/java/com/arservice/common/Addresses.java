package com.arservice.common;

/** Every event-bus address, defined once. Requests carry JSON; failures carry {@link ServiceException} codes. */
public final class Addresses {
  /** Create a project and its compile job: {@code {projectId, request}} → {@code {projectId, createdAt}}. */
  public static final String PROJECT_CREATE = "ar.projects.create";
  /** A project in API shape: {@code {projectId}} → status JSON, or NOT_FOUND. */
  public static final String PROJECT_STATUS = "ar.projects.status";
  /** A project's step log: {@code {projectId}} → {@code {logs: [...]}}, or NOT_FOUND. */
  public static final String PROJECT_LOGS = "ar.projects.logs";
  /** The whole stored project (viewer, pipeline): {@code {projectId}} → project JSON, or NOT_FOUND. */
  public static final String PROJECT_GET = "ar.projects.get";
  /** A compile attempt starts: {@code {projectId, attempt}}. */
  public static final String PROJECT_PROCESSING = "ar.projects.processing";
  /** A step event of the pipeline: {@code {projectId, event}}. */
  public static final String PROJECT_STEP = "ar.projects.step";
  /** The pipeline finished: {@code {projectId, result}}. */
  public static final String PROJECT_READY = "ar.projects.ready";
  /** The project failed for good: {@code {projectId, errorMessage}}. */
  public static final String PROJECT_FAILED = "ar.projects.failed";
  /** Published (locally) when jobs may be waiting, so idle compile workers look at once. */
  public static final String QUEUE_WAKE = "ar.queue.wake";

  private Addresses() {
  }
}
