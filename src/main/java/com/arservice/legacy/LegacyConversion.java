package com.arservice.legacy;

import static com.arservice.legacy.LegacySource.ITEMS;
import static com.arservice.legacy.LegacySource.LOGS;
import static com.arservice.legacy.LegacySource.PROJECTS;
import static com.arservice.legacy.LegacySource.WEBHOOKS;
import static com.arservice.legacy.LegacySource.isUuid;
import static com.arservice.legacy.LegacySource.literal;
import static com.arservice.legacy.LegacySource.uuidOf;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The SQL that reads the old service's tables and fills ours from them, on one connection inside
 * the caller's transaction: the plan (counts only, changes nothing) and the conversion. Rows are
 * copied by {@code INSERT ... SELECT} in the server, so memory stays flat however many there are.
 * Projects already in our tables are never touched: the conversion adds only the ones missing,
 * which makes a second run change nothing.
 */
final class LegacyConversion {
  /** The error of a project the old service had not finished, when it is not queued again. */
  static final String INTERRUPTED =
      "The old AR service was replaced before it finished this project. Please send it again.";

  private static final String KNOWN = "('ready', 'error', 'failed', 'deleted')";
  private static final String UNFINISHED = "('pending', 'queued', 'processing')";

  /**
   * @param requeue whether unfinished projects get a compile job in our queue (else they end in
   *     {@code error} with {@link #INTERRUPTED})
   * @param timeZone the zone the old {@code timestamp} columns were written in
   */
  record Options(
      boolean requeue, String timeZone, int retryLimit, long retryDelayMs, long expireInMs) {}

  /** A project the conversion added, with the folder name its files have on disk. */
  record Converted(UUID id, String legacyId, String status) {}

  private final LegacySource src;
  private final Options options;

  LegacyConversion(LegacySource src, Options options) {
    this.src = src;
    this.options = options;
  }

  private String status() {
    String unfinished = options.requeue() ? "'pending'" : "'error'";
    return "CASE WHEN lower(btrim(p.status)) = 'ready' THEN 'ready' "
        + "WHEN lower(btrim(p.status)) IN ('error', 'failed') THEN 'error' "
        + "WHEN lower(btrim(p.status)) = 'deleted' THEN 'deleted' "
        + "WHEN lower(btrim(p.status)) IN "
        + UNFINISHED
        + " THEN "
        + unfinished
        + " ELSE 'error' END";
  }

  /**
   * What a conversion would do, by count. {@code existing}: whether our tables exist to compare ids
   * with (an import; adoption starts from none).
   */
  Map<String, Long> plan(Connection c, boolean existing) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    String p = src.table(PROJECTS) + " p";
    String uuid = isUuid("p.id::text");
    String status = "lower(btrim(p.status))";
    String same =
        "EXISTS (SELECT 1 FROM public.ar_projects o WHERE o.id = "
            + uuidOf("p.id::text")
            + " "
            + "AND o.user_id = p.user_id::text)";
    String present =
        "EXISTS (SELECT 1 FROM public.ar_projects o WHERE o.id = " + uuidOf("p.id::text") + ")";
    String fresh = existing ? uuid + " AND NOT " + present : uuid;
    out.put("projects", count(c, "SELECT count(*) FROM " + p));
    out.put("projects to convert", count(c, "SELECT count(*) FROM " + p + " WHERE " + fresh));
    for (String s : List.of("ready", "error", "deleted")) {
      out.put(
          "  " + s,
          count(
              c,
              "SELECT count(*) FROM "
                  + p
                  + " WHERE "
                  + fresh
                  + " AND ("
                  + status()
                  + ") = '"
                  + s
                  + "' AND "
                  + status
                  + " NOT IN "
                  + UNFINISHED
                  + " AND ("
                  + status
                  + " IN "
                  + KNOWN
                  + ")"));
    }
    out.put(
        "  unfinished (" + (options.requeue() ? "queued again" : "to error") + ")",
        count(
            c,
            "SELECT count(*) FROM "
                + p
                + " WHERE "
                + fresh
                + " AND "
                + status
                + " IN "
                + UNFINISHED));
    out.put(
        "  in an unknown state (to error)",
        count(
            c,
            "SELECT count(*) FROM "
                + p
                + " WHERE "
                + fresh
                + " AND "
                + status
                + " NOT IN "
                + KNOWN
                + " AND "
                + status
                + " NOT IN "
                + UNFINISHED));
    out.put(
        "  expired demos (our cleanup removes them)",
        count(
            c,
            "SELECT count(*) FROM "
                + p
                + " WHERE "
                + fresh
                + " AND coalesce("
                + src.col(PROJECTS, "p", "is_demo", "boolean")
                + ", false) AND "
                + src.time(PROJECTS, "p", "expires_at", options.timeZone())
                + " < now() AND "
                + status
                + " <> 'deleted'"));
    out.put(
        "projects whose id is not a UUID (left in place, not converted)",
        count(c, "SELECT count(*) FROM " + p + " WHERE NOT " + uuid));
    if (existing) {
      out.put(
          "projects already here (skipped)",
          count(c, "SELECT count(*) FROM " + p + " WHERE " + uuid + " AND " + same));
      out.put(
          "projects whose id is taken by another project here (conflicts, skipped)",
          count(
              c,
              "SELECT count(*) FROM "
                  + p
                  + " WHERE "
                  + uuid
                  + " AND "
                  + present
                  + " AND NOT "
                  + same));
    }
    out.put(
        "aspect ratios that are not numbers (left empty)",
        count(
            c,
            "SELECT count(*) FROM "
                + p
                + " WHERE "
                + fresh
                + " AND (("
                + src.col(PROJECTS, "p", "photo_aspect_ratio", "text")
                + " IS NOT NULL AND "
                + src.ratio(PROJECTS, "p", "photo_aspect_ratio")
                + " IS NULL) OR ("
                + src.col(PROJECTS, "p", "video_aspect_ratio", "text")
                + " IS NOT NULL AND "
                + src.ratio(PROJECTS, "p", "video_aspect_ratio")
                + " IS NULL))"));
    if (src.has(ITEMS)) {
      out.put("album items", count(c, "SELECT count(*) FROM " + src.table(ITEMS)));
      out.put(
          "album item names (ours has no place for them; left in place)",
          count(
              c,
              "SELECT count(*) FROM "
                  + src.table(ITEMS)
                  + " i WHERE "
                  + src.col(ITEMS, "i", "name", "text")
                  + " IS NOT NULL"));
      out.put(
          "album items past the 10th of a project (left in place)",
          count(
              c,
              "SELECT count(*) FROM (SELECT row_number() OVER (PARTITION BY project_id "
                  + "ORDER BY target_index) AS n FROM "
                  + src.table(ITEMS)
                  + ") i WHERE n > 10"));
    }
    if (src.has(LOGS)) {
      out.put("compilation log rows", count(c, "SELECT count(*) FROM " + src.table(LOGS)));
    }
    if (src.has(WEBHOOKS)) {
      out.put("webhook events", count(c, "SELECT count(*) FROM " + src.table(WEBHOOKS)));
    }
    if (src.jobs() != null) {
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT name, state::text, count(*) FROM "
                      + src.jobs()
                      + " GROUP BY 1, 2 ORDER BY 1, 2")) {
        while (rs.next()) {
          out.put("pg-boss jobs " + rs.getString(1) + " " + rs.getString(2), rs.getLong(3));
        }
      }
    }
    return out;
  }

  /** Unfinished pg-boss compile jobs, by the project they were for. */
  List<String> openJobs(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    if (src.jobs() == null) {
      return out;
    }
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT state::text, coalesce(data->>'projectId', '?') FROM "
                    + src.jobs()
                    + " WHERE name = 'ar-compile' AND state::text IN ('created', 'retry', 'active') "
                    + "ORDER BY 2")) {
      while (rs.next()) {
        out.add(rs.getString(2) + " (" + rs.getString(1) + ")");
      }
    }
    return out;
  }

  /**
   * Adds every project missing from our tables with its items, log and webhook events, and (when
   * asked) compile jobs for the unfinished ones; returns the projects it added.
   */
  List<Converted> convert(Connection c, Map<String, Long> counts) throws SQLException {
    String zone = options.timeZone();
    String p = "p";
    execute(
        c,
        "CREATE TEMP TABLE legacy_map ON COMMIT DROP AS SELECT DISTINCT ON (lower(p.id::text)) "
            + "p.id::text AS legacy_id, "
            + uuidOf("p.id::text")
            + " AS id, "
            + status()
            + " AS status, lower(btrim(p.status)) IN "
            + UNFINISHED
            + " AS unfinished, lower(btrim(p.status)) NOT IN "
            + KNOWN
            + " AND lower(btrim(p.status)) NOT IN "
            + UNFINISHED
            + " AS unknown FROM "
            + src.table(PROJECTS)
            + " p WHERE "
            + isUuid("p.id::text")
            + " AND NOT EXISTS (SELECT 1 FROM public.ar_projects o WHERE o.id = "
            + uuidOf("p.id::text")
            + ") "
            + "ORDER BY lower(p.id::text), p.id");
    String created = "coalesce(" + src.time(PROJECTS, p, "created_at", zone) + ", now())";
    String updated = "coalesce(" + src.time(PROJECTS, p, "updated_at", zone) + ", " + created + ")";
    String config = "coalesce(" + src.col(PROJECTS, p, "config", "jsonb") + ", '{}')";
    String scale =
        "CASE WHEN "
            + src.col(PROJECTS, p, "scale_width", "text")
            + " ~ '^ *[0-9]+(\\.[0-9]+)? *$' AND "
            + src.col(PROJECTS, p, "scale_height", "text")
            + " ~ '^ *[0-9]+(\\.[0-9]+)? *$' AND "
            + config
            + " -> 'videoScale' IS NULL "
            + "THEN jsonb_build_object('videoScale', jsonb_build_object('width', "
            + src.col(PROJECTS, p, "scale_width", "text")
            + "::double precision, 'height', "
            + src.col(PROJECTS, p, "scale_height", "text")
            + "::double precision)) ELSE '{}'::jsonb END";
    counts.put(
        "projects converted",
        (long)
            execute(
                c,
                "INSERT INTO public.ar_projects (id, user_id, order_id, photo_url, video_url, mask_url, "
                    + "shape_type, marker_mind_url, viewer_html_url, qr_code_url, view_url, status, "
                    + "queue_job_id, created_at, queued_at, compilation_started_at, "
                    + "compilation_finished_at, compilation_time_ms, error_message, retry_count, "
                    + "photo_width, photo_height, video_width, video_height, video_duration_ms, "
                    + "photo_aspect_ratio, video_aspect_ratio, config, fit_mode, is_demo, expires_at, "
                    + "notification_sent, notification_sent_at, updated_at, progress, current_step, "
                    + "deleted_at) SELECT m.id, p.user_id::text, "
                    + src.col(PROJECTS, p, "order_id", "text")
                    + ", p.photo_url::text, "
                    + src.col(PROJECTS, p, "video_url", "text")
                    + ", "
                    + src.col(PROJECTS, p, "mask_url", "text")
                    + ", "
                    + config
                    + " ->> 'shapeType', "
                    + src.col(PROJECTS, p, "marker_mind_url", "text")
                    + ", "
                    + src.col(PROJECTS, p, "viewer_html_url", "text")
                    + ", "
                    + src.col(PROJECTS, p, "qr_code_url", "text")
                    + ", "
                    + src.col(PROJECTS, p, "view_url", "text")
                    + ", m.status, "
                    + src.col(PROJECTS, p, "queue_job_id", "text")
                    + ", "
                    + created
                    + ", "
                    + src.time(PROJECTS, p, "queued_at", zone)
                    + ", "
                    + src.time(PROJECTS, p, "compilation_started_at", zone)
                    + ", "
                    + src.time(PROJECTS, p, "compilation_finished_at", zone)
                    + ", "
                    + src.col(PROJECTS, p, "compilation_time_ms", "integer")
                    + ", CASE WHEN m.unfinished AND m.status = 'error' THEN "
                    + literal(INTERRUPTED)
                    + " WHEN m.unknown THEN 'The old AR service left this project in the state \"' "
                    + "|| p.status || '\". Please send it again.' ELSE "
                    + src.col(PROJECTS, p, "error_message", "text")
                    + " END, coalesce("
                    + src.col(PROJECTS, p, "retry_count", "integer")
                    + ", 0), "
                    + src.col(PROJECTS, p, "photo_width", "integer")
                    + ", "
                    + src.col(PROJECTS, p, "photo_height", "integer")
                    + ", "
                    + src.col(PROJECTS, p, "video_width", "integer")
                    + ", "
                    + src.col(PROJECTS, p, "video_height", "integer")
                    + ", "
                    + src.col(PROJECTS, p, "video_duration_ms", "integer")
                    + ", "
                    + src.ratio(PROJECTS, p, "photo_aspect_ratio")
                    + ", "
                    + src.ratio(PROJECTS, p, "video_aspect_ratio")
                    + ", "
                    + config
                    + " || "
                    + scale
                    + ", "
                    + src.col(PROJECTS, p, "fit_mode", "text")
                    + ", coalesce("
                    + src.col(PROJECTS, p, "is_demo", "boolean")
                    + ", false), "
                    + src.time(PROJECTS, p, "expires_at", zone)
                    + ", coalesce("
                    + src.col(PROJECTS, p, "notification_sent", "boolean")
                    + ", false), "
                    + src.time(PROJECTS, p, "notification_sent_at", zone)
                    + ", "
                    + updated
                    + ", CASE m.status WHEN 'ready' THEN 100 ELSE 0 END, "
                    + "CASE m.status WHEN 'ready' THEN 'done' WHEN 'error' THEN 'failed' END, "
                    + "CASE m.status WHEN 'deleted' THEN "
                    + updated
                    + " END FROM legacy_map m JOIN "
                    + src.table(PROJECTS)
                    + " p ON p.id::text = m.legacy_id"));
    counts.put("album items converted", (long) execute(c, itemsSql(zone)));
    if (src.has(LOGS)) {
      String l = "l";
      String logStatus =
          "CASE WHEN lower(l.status) IN ('started', 'completed', 'failed') THEN lower(l.status) "
              + "WHEN lower(l.status) IN ('error', 'failure') THEN 'failed' ELSE 'completed' END";
      counts.put(
          "compilation log rows converted",
          (long)
              execute(
                  c,
                  "INSERT INTO public.ar_compilation_logs (project_id, step, status, duration_ms, "
                      + "details, error, created_at) SELECT m.id, l.step::text, "
                      + logStatus
                      + ", "
                      + src.col(LOGS, l, "duration_ms", "integer")
                      + ", "
                      + src.col(LOGS, l, "details", "jsonb")
                      + ", "
                      + src.col(LOGS, l, "error", "text")
                      + ", coalesce("
                      + src.time(LOGS, l, "created_at", zone)
                      + ", now()) FROM "
                      + src.table(LOGS)
                      + " l JOIN legacy_map m ON m.legacy_id = l.project_id::text ORDER BY "
                      + src.col(LOGS, l, "created_at", "text")
                      + ", "
                      + src.col(LOGS, l, "id", "text")));
    }
    if (src.has(WEBHOOKS)) {
      counts.put("webhook events converted", (long) execute(c, webhooksSql(zone)));
    }
    if (options.requeue()) {
      counts.put(
          "compile jobs queued again",
          (long)
              execute(
                  c,
                  "INSERT INTO public.ar_jobs (id, queue, state, priority, data, singleton_key, "
                      + "retry_limit, retry_count, retry_delay_ms, expire_in_ms, start_after, created_at) "
                      + "SELECT md5('legacy requeue ' || m.id)::uuid, 'ar-compile', 'created', 0, "
                      + "jsonb_build_object('projectId', m.id::text), m.id::text, "
                      + options.retryLimit()
                      + ", 0, "
                      + options.retryDelayMs()
                      + ", "
                      + options.expireInMs()
                      + ", now(), now() FROM legacy_map m WHERE m.unfinished"));
      execute(
          c,
          "UPDATE public.ar_projects p SET queue_job_id = md5('legacy requeue ' || m.id)::uuid::text, "
              + "queued_at = now() FROM legacy_map m WHERE m.unfinished AND p.id = m.id");
    }
    List<Converted> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT id, legacy_id, status FROM legacy_map ORDER BY id")) {
      while (rs.next()) {
        out.add(new Converted(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)));
      }
    }
    return out;
  }

  /**
   * One item per photo: the old album items where a project has them (the project's own photo sizes
   * and mask go with the first), else one built from the project's photo and video columns.
   */
  private String itemsSql(String zone) {
    String p = "p";
    String fromProject =
        "SELECT p.id::text AS project, 0 AS idx, p.photo_url::text AS photo, "
            + src.col(PROJECTS, p, "video_url", "text")
            + " AS video, "
            + src.col(PROJECTS, p, "mask_url", "text")
            + " AS mask, "
            + src.time(PROJECTS, p, "created_at", zone)
            + " AS created FROM "
            + src.table(PROJECTS)
            + " p";
    String items;
    if (src.has(ITEMS)) {
      String i = "i";
      items =
          "SELECT i.project_id::text AS project, (row_number() OVER (PARTITION BY i.project_id "
              + "ORDER BY i.target_index, "
              + src.col(ITEMS, i, "created_at", "text")
              + ", i.id::text) - 1)::integer AS idx, i.photo_url::text AS photo, "
              + src.col(ITEMS, i, "video_url", "text")
              + " AS video, NULL::text AS mask, "
              + src.time(ITEMS, i, "created_at", zone)
              + " AS created FROM "
              + src.table(ITEMS)
              + " i";
      items =
          "SELECT * FROM ("
              + items
              + ") numbered UNION ALL "
              + fromProject
              + " WHERE NOT EXISTS (SELECT 1 FROM "
              + src.table(ITEMS)
              + " x WHERE x.project_id::text = p.id::text)";
    } else {
      items = fromProject;
    }
    return "INSERT INTO public.ar_project_items (project_id, item_index, photo_url, video_url, "
        + "mask_url, photo_width, photo_height, video_width, video_height, video_duration_ms, "
        + "created_at) SELECT m.id, s.idx, s.photo, s.video, coalesce(s.mask, CASE WHEN s.idx = 0 THEN "
        + src.col(PROJECTS, p, "mask_url", "text")
        + " END), CASE WHEN s.idx = 0 THEN "
        + src.col(PROJECTS, p, "photo_width", "integer")
        + " END, CASE WHEN s.idx = 0 THEN "
        + src.col(PROJECTS, p, "photo_height", "integer")
        + " END, CASE WHEN s.idx = 0 THEN "
        + src.col(PROJECTS, p, "video_width", "integer")
        + " END, CASE WHEN s.idx = 0 THEN "
        + src.col(PROJECTS, p, "video_height", "integer")
        + " END, CASE WHEN s.idx = 0 THEN "
        + src.col(PROJECTS, p, "video_duration_ms", "integer")
        + " END, coalesce(s.created, now()) FROM ("
        + items
        + ") s JOIN legacy_map m ON m.legacy_id = s.project JOIN "
        + src.table(PROJECTS)
        + " p ON p.id::text = m.legacy_id WHERE s.idx < 10";
  }

  /**
   * The old events as history: answered 2xx = delivered, other attempts failed, never attempted =
   * recorded; none is sent again. Ids are derived from the old row, so importing twice adds none.
   */
  private String webhooksSql(String zone) {
    String w = "w";
    String answered = src.col(WEBHOOKS, w, "response_status", "integer");
    String lastAttempt = src.time(WEBHOOKS, w, "last_attempt_at", zone);
    String createdAt = "coalesce(" + src.time(WEBHOOKS, w, "created_at", zone) + ", now())";
    String project = "w.project_id::text";
    return "INSERT INTO public.ar_webhook_events (id, event_type, project_id, payload, "
        + "response_status, response_body, attempts, last_attempt_at, created_at, state, body, "
        + "last_error, delivered_at) SELECT md5('legacy webhook ' || w.id::text || ' ' || "
        + "coalesce("
        + project
        + ", '') || ' ' || "
        + createdAt
        + "::text)::uuid, w.event_type::text, CASE WHEN "
        + isUuid(project)
        + " THEN lower("
        + project
        + ")::uuid END, coalesce(w.payload::jsonb, '{}'), "
        + answered
        + ", "
        + src.col(WEBHOOKS, w, "response_body", "text")
        + ", coalesce("
        + src.col(WEBHOOKS, w, "attempts", "integer")
        + ", 0), "
        + lastAttempt
        + ", "
        + createdAt
        + ", CASE WHEN "
        + answered
        + " BETWEEN 200 AND 299 THEN 'delivered' WHEN "
        + answered
        + " IS NOT NULL OR coalesce("
        + src.col(WEBHOOKS, w, "attempts", "integer")
        + ", 0) > 0 THEN 'failed' ELSE 'recorded' END, coalesce(w.payload::jsonb, '{}')::text, "
        + "CASE WHEN "
        + answered
        + " BETWEEN 200 AND 299 THEN NULL WHEN "
        + answered
        + " IS NOT NULL THEN 'The old AR service got HTTP ' || "
        + answered
        + " || ' and did not retry' END, CASE WHEN "
        + answered
        + " BETWEEN 200 AND 299 THEN "
        + lastAttempt
        + " END FROM "
        + src.table(WEBHOOKS)
        + " w WHERE "
        + project
        + " IS NULL OR ("
        + isUuid(project)
        + ") AND "
        + uuidOf(project)
        + " IN (SELECT id FROM legacy_map) "
        + "ON CONFLICT (id) DO NOTHING";
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int execute(Connection c, String sql) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      return st.executeUpdate();
    }
  }
}
