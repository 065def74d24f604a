package com.arservice.project;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A project as stored: the columns of {@code ar_projects} that status, viewer and compile worker
 * read, and its items (one per photo, in order) as {@code targets}. Nullable columns are boxed.
 */
public record StoredProject(
    UUID id,
    String userId,
    String orderId,
    boolean isDemo,
    String status,
    int progress,
    String currentStep,
    String shapeType,
    JsonObject config,
    String photoUrl,
    String videoUrl,
    String maskUrl,
    String viewUrl,
    String qrCodeUrl,
    String markerMindUrl,
    String viewerHtmlUrl,
    String markerMode,
    Integer compilationTimeMs,
    String errorMessage,
    int retryCount,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime expiresAt,
    List<Item> targets) {

  /** The columns {@link #of} reads, for a {@code SELECT} of {@code ar_projects}. */
  static final String COLUMNS =
      "id, user_id, order_id, is_demo, status, progress, current_step, shape_type, config, "
          + "photo_url, video_url, mask_url, view_url, qr_code_url, marker_mind_url, viewer_html_url, "
          + "marker_mode, compilation_time_ms, error_message, retry_count, created_at, updated_at, expires_at";

  /** The columns {@link Item#of} reads, for a {@code SELECT} of {@code ar_project_items}. */
  static final String ITEM_COLUMNS =
      "item_index, photo_url, video_url, mask_url, photo_width, photo_height, "
          + "video_width, video_height, video_duration_ms, keyframes, points, artifacts, quality";

  public StoredProject {
    targets = List.copyOf(targets);
  }

  /**
   * One target: its uploads and, once compiled, what it became.
   *
   * @param artifacts the public URLs of its files ({@code photo}, {@code video}, {@code mask});
   *     empty until ready
   * @param quality its quality report as status shows it ({@link CompileResult.Quality#toJson});
   *     null until ready and for projects compiled before the quality step
   */
  public record Item(
      int index,
      String photoUrl,
      String videoUrl,
      String maskUrl,
      Integer photoWidth,
      Integer photoHeight,
      Integer videoWidth,
      Integer videoHeight,
      Integer videoDurationMs,
      Integer keyframes,
      Integer points,
      JsonObject artifacts,
      JsonObject quality) {

    static Item of(Row r) {
      return new Item(
          r.getInteger("item_index"),
          r.getString("photo_url"),
          r.getString("video_url"),
          r.getString("mask_url"),
          r.getInteger("photo_width"),
          r.getInteger("photo_height"),
          r.getInteger("video_width"),
          r.getInteger("video_height"),
          r.getInteger("video_duration_ms"),
          r.getInteger("keyframes"),
          r.getInteger("points"),
          r.getJsonObject("artifacts"),
          r.getJsonObject("quality"));
    }
  }

  static StoredProject of(Row r, Iterable<Row> items) {
    List<Item> targets = new ArrayList<>();
    items.forEach(i -> targets.add(Item.of(i)));
    return new StoredProject(
        r.getUUID("id"),
        r.getString("user_id"),
        r.getString("order_id"),
        r.getBoolean("is_demo"),
        r.getString("status"),
        r.getInteger("progress"),
        r.getString("current_step"),
        r.getString("shape_type"),
        r.getJsonObject("config"),
        r.getString("photo_url"),
        r.getString("video_url"),
        r.getString("mask_url"),
        r.getString("view_url"),
        r.getString("qr_code_url"),
        r.getString("marker_mind_url"),
        r.getString("viewer_html_url"),
        r.getString("marker_mode"),
        r.getInteger("compilation_time_ms"),
        r.getString("error_message"),
        r.getInteger("retry_count"),
        r.getOffsetDateTime("created_at"),
        r.getOffsetDateTime("updated_at"),
        r.getOffsetDateTime("expires_at"),
        targets);
  }
}
