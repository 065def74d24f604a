package com.arservice.testing;

import com.arservice.config.DatabaseUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database as the old Node service left it, in a new database of the shared test server: its four
 * tables with text ids and {@code timestamp} columns, its trigger, pg-boss's schema with jobs, and
 * projects in every state with their artifact folders. Times are local times in UTC.
 */
public final class NodeServiceDatabase {
  public static final String READY = "7d3c8a52-1f4e-4b7a-9c11-2f0e5d6a7b01";
  public static final String ALBUM = "7d3c8a52-1f4e-4b7a-9c11-2f0e5d6a7b02";
  public static final String FAILED = "7d3c8a52-1f4e-4b7a-9c11-2f0e5d6a7b03";
  public static final String EXPIRED_DEMO = "7d3c8a52-1f4e-4b7a-9c11-2f0e5d6a7b04";
  public static final String WAITING = "7d3c8a52-1f4e-4b7a-9c11-2f0e5d6a7b05";
  public static final String COMPILING = "7d3c8a52-1f4e-4b7a-9c11-2f0e5d6a7b06";
  public static final String NOT_A_UUID = "demo-1716000000-abc";

  /** The photo of the waiting and compiling projects, in the uploads folder. */
  public static final String WAITING_PHOTO = "/objects/uploads/node-waiting.jpg";

  private static final AtomicInteger NEXT = new AtomicInteger();

  private static final String SCHEMA =
      """
      CREATE TABLE ar_projects (
        id VARCHAR(255) PRIMARY KEY, user_id VARCHAR(255) NOT NULL, order_id VARCHAR(255),
        photo_url VARCHAR(500) NOT NULL, video_url VARCHAR(500), mask_url VARCHAR(500),
        marker_mind_url VARCHAR(500), viewer_html_url VARCHAR(500), qr_code_url VARCHAR(500),
        view_url VARCHAR(500), status VARCHAR(50) NOT NULL DEFAULT 'pending', queue_job_id VARCHAR(255),
        created_at TIMESTAMP NOT NULL DEFAULT NOW(), queued_at TIMESTAMP, compilation_started_at TIMESTAMP,
        compilation_finished_at TIMESTAMP, compilation_time_ms INTEGER, error_message TEXT,
        retry_count INTEGER DEFAULT 0, photo_width INTEGER, photo_height INTEGER, video_width INTEGER,
        video_height INTEGER, video_duration_ms INTEGER, photo_aspect_ratio VARCHAR(20),
        video_aspect_ratio VARCHAR(20), config JSONB, fit_mode VARCHAR(20) DEFAULT 'contain',
        scale_width VARCHAR(20), scale_height VARCHAR(20), is_demo BOOLEAN DEFAULT FALSE,
        expires_at TIMESTAMP, notification_sent BOOLEAN DEFAULT FALSE, notification_sent_at TIMESTAMP,
        updated_at TIMESTAMP NOT NULL DEFAULT NOW());
      CREATE INDEX idx_ar_projects_status ON ar_projects(status);
      CREATE TABLE ar_project_items (
        id VARCHAR(255) PRIMARY KEY,
        project_id VARCHAR(255) NOT NULL REFERENCES ar_projects(id) ON DELETE CASCADE,
        target_index INTEGER NOT NULL, name VARCHAR(255), photo_url VARCHAR(500) NOT NULL,
        video_url VARCHAR(500), created_at TIMESTAMP NOT NULL DEFAULT NOW());
      CREATE TABLE ar_compilation_logs (
        id SERIAL PRIMARY KEY,
        project_id VARCHAR(255) NOT NULL REFERENCES ar_projects(id) ON DELETE CASCADE,
        step VARCHAR(100) NOT NULL, status VARCHAR(50) NOT NULL, duration_ms INTEGER, details JSONB,
        error TEXT, created_at TIMESTAMP NOT NULL DEFAULT NOW());
      CREATE TABLE ar_webhook_events (
        id SERIAL PRIMARY KEY, event_type VARCHAR(100) NOT NULL, project_id VARCHAR(255),
        payload JSONB NOT NULL, response_status INTEGER, response_body TEXT, attempts INTEGER DEFAULT 0,
        last_attempt_at TIMESTAMP, next_retry_at TIMESTAMP, created_at TIMESTAMP NOT NULL DEFAULT NOW());
      CREATE FUNCTION update_updated_at_column() RETURNS TRIGGER AS $$
      BEGIN NEW.updated_at = NOW(); RETURN NEW; END; $$ LANGUAGE plpgsql;
      CREATE TRIGGER update_ar_projects_updated_at BEFORE UPDATE ON ar_projects
        FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
      CREATE SCHEMA pgboss;
      CREATE TYPE pgboss.job_state AS ENUM ('created', 'retry', 'active', 'completed', 'expired', 'cancelled', 'failed');
      CREATE TABLE pgboss.version (version INT PRIMARY KEY, maintained_on TIMESTAMPTZ, cron_on TIMESTAMPTZ);
      INSERT INTO pgboss.version VALUES (20, NOW(), NOW());
      CREATE TABLE pgboss.job (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(), name TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 0,
        data JSONB, state pgboss.job_state NOT NULL DEFAULT 'created', retrylimit INTEGER NOT NULL DEFAULT 0,
        retrycount INTEGER NOT NULL DEFAULT 0, retrydelay INTEGER NOT NULL DEFAULT 0,
        startafter TIMESTAMPTZ NOT NULL DEFAULT NOW(), startedon TIMESTAMPTZ, singletonkey TEXT,
        expirein INTERVAL NOT NULL DEFAULT INTERVAL '15 minutes', createdon TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        completedon TIMESTAMPTZ, output JSONB);
      """;

  private NodeServiceDatabase() {}

  /** A new, empty database on the server of {@code server}; returns its URL. */
  public static DatabaseUrl newDatabase(DatabaseUrl server) throws SQLException {
    String name = "node_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    try (Connection c = connect(server);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return new DatabaseUrl(server.host(), server.port(), name, server.user(), server.password());
  }

  /**
   * A new database holding the old service's schema and projects; their folders go under {@code
   * storage}, with {@code singleMind} (one target) and {@code albumMind} (two) as their markers.
   */
  public static DatabaseUrl create(
      DatabaseUrl server, Path storage, byte[] singleMind, byte[] albumMind) throws Exception {
    DatabaseUrl url = newDatabase(server);
    try (Connection c = connect(url);
        Statement st = c.createStatement()) {
      st.execute(SCHEMA);
      st.execute(projects());
    }
    folder(storage, READY, singleMind, 1);
    folder(storage, ALBUM, albumMind, 2);
    folder(storage, EXPIRED_DEMO, singleMind, 1);
    folder(storage, NOT_A_UUID, singleMind, 1);
    return url;
  }

  private static String projects() {
    String view = "https://shop.example/ar/view/";
    return """
        INSERT INTO ar_projects (id, user_id, order_id, photo_url, video_url, marker_mind_url,
            viewer_html_url, qr_code_url, view_url, status, queue_job_id, created_at, queued_at,
            compilation_started_at, compilation_finished_at, compilation_time_ms, error_message,
            photo_width, photo_height, video_width, video_height, video_duration_ms,
            photo_aspect_ratio, video_aspect_ratio, config, fit_mode, scale_width, scale_height,
            is_demo, expires_at, notification_sent, updated_at) VALUES
        ('%1$s', 'user-1', 'order-1', '/objects/uploads/node-ready.jpg', '/objects/uploads/node-ready.mp4',
         '/objects/ar-storage/%1$s/marker.mind', '/objects/ar-storage/%1$s/index.html',
         '/objects/ar-storage/%1$s/qr-code.png', '%7$s%1$s', 'ready', 'job-1', '2026-05-01 10:00:00',
         '2026-05-01 10:00:00', '2026-05-01 10:00:01', '2026-05-01 10:01:46', 105000, NULL,
         800, 640, 800, 640, 3000, '1.25', '5:4', '{"fitMode":"cover","autoPlay":true,"loop":true}', 'cover', NULL, NULL,
         false, NULL, true, '2026-05-01 10:01:46'),
        ('%2$s', 'user-2', 'order-2', '/objects/uploads/node-album-0.jpg', '/objects/uploads/node-album-0.mp4',
         '/objects/ar-storage/%2$s/marker.mind', '/objects/ar-storage/%2$s/index.html',
         '/objects/ar-storage/%2$s/qr-code.png', '%7$s%2$s', 'ready', 'job-2', '2026-05-02 09:00:00',
         NULL, NULL, '2026-05-02 09:03:00', 180000, NULL, 640, 800, NULL, NULL, NULL, 'portrait', NULL,
         NULL, 'contain', '1.0', '1.0', false, NULL, true, '2026-05-02 09:03:00'),
        ('%3$s', 'user-3', NULL, '/objects/uploads/node-failed.jpg', NULL, NULL, NULL, NULL, '%7$s%3$s',
         'error', 'job-3', '2026-05-03 08:00:00', NULL, NULL, '2026-05-03 08:00:05', NULL,
         'Photo is too small for AR tracking', NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{}', 'contain',
         NULL, NULL, false, NULL, false, '2026-05-03 08:00:05'),
        ('%4$s', 'user-4', NULL, '/objects/uploads/node-demo.jpg', '/objects/uploads/node-demo.mp4',
         '/objects/ar-storage/%4$s/marker.mind', NULL, '/objects/ar-storage/%4$s/qr-code.png', '%7$s%4$s',
         'ready', 'job-4', '2026-05-29 12:00:00', NULL, NULL, NULL, 90000, NULL, 800, 640, NULL, NULL, NULL,
         NULL, NULL, NULL, 'contain', NULL, NULL, true, '2026-05-30 12:00:00', true, '2026-05-29 12:02:00'),
        ('%5$s', 'user-5', 'order-5', '%8$s', NULL, NULL, NULL, NULL, '%7$s%5$s', 'queued', 'job-5',
         '2026-05-31 23:00:00', '2026-05-31 23:00:00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, '{}', 'contain', NULL, NULL, false, NULL, false, '2026-05-31 23:00:00'),
        ('%6$s', 'user-6', 'order-6', '%8$s', NULL, NULL, NULL, NULL, '%7$s%6$s', 'processing', 'job-6',
         '2026-05-31 23:10:00', NULL, '2026-05-31 23:10:01', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, 'contain', NULL, NULL, false, NULL, false, '2026-05-31 23:10:01'),
        ('%9$s', 'user-7', NULL, '/objects/uploads/node-demo-7.jpg', NULL, NULL, NULL, NULL, '%7$s%9$s',
         'ready', 'job-7', '2026-05-20 10:00:00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, 'contain', NULL, NULL, true, '2026-05-21 10:00:00', false, '2026-05-20 10:00:00');
        INSERT INTO ar_project_items (id, project_id, target_index, name, photo_url, video_url, created_at) VALUES
        ('item-a', '%2$s', 0, 'Page 1', '/objects/uploads/node-album-0.jpg', '/objects/uploads/node-album-0.mp4', '2026-05-02 09:00:00'),
        ('item-b', '%2$s', 1, 'Page 2', '/objects/uploads/node-album-1.jpg', '/objects/uploads/node-album-1.mp4', '2026-05-02 09:00:00');
        INSERT INTO ar_compilation_logs (project_id, step, status, duration_ms, details, created_at) VALUES
        ('%1$s', 'compilation', 'started', NULL, '{}', '2026-05-01 10:00:01'),
        ('%1$s', 'compile', 'completed', 104000, '{"targets":1}', '2026-05-01 10:01:45'),
        ('%1$s', 'compilation', 'completed', 105000, '{"compilationTimeMs":105000}', '2026-05-01 10:01:46'),
        ('%3$s', 'compilation', 'failed', NULL, '{"error":"Photo is too small for AR tracking"}', '2026-05-03 08:00:05');
        INSERT INTO ar_webhook_events (event_type, project_id, payload, response_status, response_body, attempts,
            last_attempt_at, created_at) VALUES
        ('ar.compilation.complete', '%1$s', '{"event":"ar.compilation.complete","data":{"projectId":"%1$s"}}', 200, 'ok', 1,
         '2026-05-01 10:01:47', '2026-05-01 10:01:47'),
        ('ar.compilation.failed', '%3$s', '{"event":"ar.compilation.failed","data":{"projectId":"%3$s"}}', 500, 'boom', 1,
         '2026-05-03 08:00:06', '2026-05-03 08:00:06');
        INSERT INTO pgboss.job (name, data, state, createdon, completedon) VALUES
        ('ar-compile', '{"projectId":"%1$s"}', 'completed', '2026-05-01 10:00:00Z', '2026-05-01 10:01:46Z'),
        ('ar-compile', '{"projectId":"%5$s"}', 'created', '2026-05-31 23:00:00Z', NULL),
        ('ar-compile', '{"projectId":"%6$s"}', 'active', '2026-05-31 23:10:00Z', NULL),
        ('demo-cleanup', NULL, 'completed', '2026-05-31 02:00:00Z', '2026-05-31 02:00:01Z');
        """
        .formatted(
            READY,
            ALBUM,
            FAILED,
            EXPIRED_DEMO,
            WAITING,
            COMPILING,
            view,
            WAITING_PHOTO,
            NOT_A_UUID);
  }

  /** A project folder as the old pipeline wrote it. */
  private static void folder(Path storage, String id, byte[] mind, int videos) throws Exception {
    Path dir = Files.createDirectories(storage.resolve(id));
    Files.write(dir.resolve("marker.mind"), mind);
    for (int i = 0; i < videos; i++) {
      ServiceProcess.makeVideo(dir.resolve("video-" + i + ".mp4"), 320, 256, 15, 1);
    }
    Files.write(dir.resolve("qr-code.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Files.writeString(
        dir.resolve("index.html"),
        "<script src=\"https://cdn.example/npm/mind-ar@1.2.5/dist/mindar-image-aframe.prod.js\"></script>");
  }

  public static Connection connect(DatabaseUrl url) throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }
}
