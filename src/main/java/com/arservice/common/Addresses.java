package com.arservice.common;

/**
 * Every event-bus address, defined once. The projects' messages are records (see {@link
 * LocalCodecs}), the cleanup's and webhooks' still JSON; failures carry {@link ServiceException}
 * codes.
 */
public final class Addresses {
  /** Create a project and its compile job: {@code ProjectMessages.Create} → nothing. */
  public static final String PROJECT_CREATE = "ar.projects.create";

  /** A project in API shape: {@code ProjectMessages.Find} → status JSON, or NOT_FOUND. */
  public static final String PROJECT_STATUS = "ar.projects.status";

  /**
   * A project's step log: {@code ProjectMessages.Find} → its entries (a JSON array), or NOT_FOUND.
   */
  public static final String PROJECT_LOGS = "ar.projects.logs";

  /**
   * The stored project (viewer, pipeline): {@code ProjectMessages.Find} → {@code StoredProject}, or
   * NOT_FOUND.
   */
  public static final String PROJECT_GET = "ar.projects.get";

  /** A compile attempt starts: {@code ProjectMessages.Processing}. */
  public static final String PROJECT_PROCESSING = "ar.projects.processing";

  /** A step event of the pipeline: {@code ProjectMessages.Step}. */
  public static final String PROJECT_STEP = "ar.projects.step";

  /** The pipeline finished: {@code ProjectMessages.Ready}, or CONFLICT when the job was lost. */
  public static final String PROJECT_READY = "ar.projects.ready";

  /** An attempt or the project failed: {@code JobFailure}. */
  public static final String PROJECT_FAILED = "ar.projects.failed";

  /** Expired demo projects due for cleanup: {@code {limit}} → {@code {projectIds: [...]}}. */
  public static final String PROJECT_EXPIRED_DEMOS = "ar.projects.expired-demos";

  /**
   * A base backup now, as if the schedule ticked: {@code {}} → its summary ({@code base}, {@code
   * pruned}, {@code filesCopied}, {@code verify}); no consumer when no backup is configured.
   */
  public static final String BACKUP_NOW = "ar.backup.now";

  /** Upload URLs that pending or processing projects use: {@code {}} → {@code {urls: [...]}}. */
  public static final String PROJECT_UPLOADS_IN_USE = "ar.projects.uploads-in-use";

  /**
   * Mark a project deleted and emit {@code ar.project.deleted}: {@code {projectId}} → {@code
   * {deleted}}.
   */
  public static final String PROJECT_DELETE = "ar.projects.delete";

  /** A new compile attempt for a project in error: {@code ProjectMessages.Retry}, or CONFLICT. */
  public static final String PROJECT_RETRY = "ar.projects.retry";

  /**
   * A page of projects for the console: {@code ProjectMessages.Page} → {@code {projects, next}}.
   */
  public static final String PROJECT_PAGE = "ar.projects.page";

  /** Project counts for the console: {@code ProjectMessages.Stats} → JSON. */
  public static final String PROJECT_STATS = "ar.projects.stats";

  /**
   * What a live stream has not sent: {@code ProjectMessages.Since} → {@code
   * ProjectMessages.Changes}, or NOT_FOUND.
   */
  public static final String PROJECT_CHANGES = "ar.projects.changes";

  /**
   * When each of some projects last changed: {@code ProjectMessages.Recheck} → {@code
   * ProjectMessages.Versions}.
   */
  public static final String PROJECT_VERSIONS = "ar.projects.versions";

  /**
   * Published (locally) with the project id when a project changed in any process (from the
   * database's NOTIFY), so the live streams of this process look at once.
   */
  public static final String PROJECT_CHANGED = "ar.projects.changed";

  /** Webhook events, newest first: {@code {projectId?, state?}} → {@code {webhooks: [...]}}. */
  public static final String WEBHOOK_LIST = "ar.webhooks.list";

  /** Send a webhook event again: {@code {id}} → the event, or NOT_FOUND / CONFLICT. */
  public static final String WEBHOOK_REDELIVER = "ar.webhooks.redeliver";

  /**
   * Judge a photo as a target (a worker of the API process): {@code QualityCheck} → {@code
   * QualityCheck.Report}, or BAD_REQUEST for a file that is not a usable photo.
   */
  public static final String QUALITY_CHECK = "ar.quality.check";

  /** Published (locally) when jobs may be waiting, so idle compile workers look at once. */
  public static final String QUEUE_WAKE = "ar.queue.wake";

  /** What a viewer page reported: {@code AnalyticsMessages.Recorded}, no reply. */
  public static final String ANALYTICS_RECORD = "ar.analytics.record";

  /** One project's viewer stats: {@code AnalyticsMessages.ProjectStats} → JSON. */
  public static final String ANALYTICS_PROJECT = "ar.analytics.project";

  /** All projects' viewer stats and the flagged projects: {@code AnalyticsMessages.Overview}. */
  public static final String ANALYTICS_OVERVIEW = "ar.analytics.overview";

  private Addresses() {}
}
