package com.arservice.config;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The validated, typed configuration of one service instance. Built once from the merged
 * configuration (defaults, then file, then environment); any bad value fails with a
 * {@link ConfigException} naming the variable.
 */
public final class AppConfig {
  private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final JsonObject raw;
  private final int port;
  private final String bindAddress;
  private final boolean loopbackOnly;
  private final Path dataDir;
  private final DatabaseUrl databaseUrl;
  private final int dbPoolSize;
  private final URI backendUrl;
  private final List<String> webhookSecrets;
  private final URI frontendUrl;
  private final Path storagePath;
  private final Path uploadsPath;
  private final String cleanupSchedule;
  private final boolean borderEnhancer;
  private final String apiToken;
  private final Duration demoTtl;
  private final int compileWorkers;
  private final long maxUploadBytes;
  private final int queueRetryLimit;
  private final Duration queueRetryDelay;
  private final Duration queueExpireIn;
  private final Duration queueLease;
  private final Duration queuePollInterval;
  private final Duration jobRetention;
  private final Duration uploadRetention;
  private final String ffmpegPath;
  private final String ffprobePath;
  private final List<Duration> webhookRetrySchedule;
  private final Duration webhookRetention;
  private final Role role;
  private final long storageMinFreeBytes;
  private final URI viewerCdnBase;

  private AppConfig(JsonObject raw) {
    this.raw = raw.copy();
    port = intValue(ConfigKeys.PORT, 0, 65535);
    bindAddress = required(ConfigKeys.BIND_ADDRESS);
    loopbackOnly = address(ConfigKeys.BIND_ADDRESS, bindAddress).isLoopbackAddress();
    dataDir = Path.of(required(ConfigKeys.DATA_DIR)).toAbsolutePath().normalize();
    databaseUrl = optional(ConfigKeys.DATABASE_URL).map(v -> DatabaseUrl.parse(ConfigKeys.DATABASE_URL, v)).orElse(null);
    dbPoolSize = intValue(ConfigKeys.DB_POOL_SIZE, 1, 1000);
    backendUrl = optional(ConfigKeys.BACKEND_URL).map(v -> httpUrl(ConfigKeys.BACKEND_URL, v)).orElse(null);
    webhookSecrets = optional(ConfigKeys.BACKEND_WEBHOOK_SECRET).map(AppConfig::secrets).orElse(List.of());
    frontendUrl = httpUrl(ConfigKeys.FRONTEND_URL,
        optional(ConfigKeys.FRONTEND_URL).orElse("http://localhost:" + port));
    storagePath = optional(ConfigKeys.STORAGE_PATH).map(Path::of).orElse(dataDir.resolve("ar-storage"))
        .toAbsolutePath().normalize();
    uploadsPath = optional(ConfigKeys.UPLOADS_PATH).map(Path::of).orElse(dataDir.resolve("uploads"))
        .toAbsolutePath().normalize();
    cleanupSchedule = cron(ConfigKeys.DEMO_CLEANUP_SCHEDULE, required(ConfigKeys.DEMO_CLEANUP_SCHEDULE));
    borderEnhancer = bool(ConfigKeys.BORDER_ENHANCER);
    apiToken = optional(ConfigKeys.API_TOKEN).orElse(null);
    demoTtl = duration(ConfigKeys.DEMO_TTL);
    compileWorkers = optional(ConfigKeys.COMPILE_WORKERS).isPresent() ? intValue(ConfigKeys.COMPILE_WORKERS, 1, 64)
        : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    maxUploadBytes = intValue(ConfigKeys.MAX_UPLOAD_MB, 1, 10_000) * 1024L * 1024L;
    queueRetryLimit = intValue(ConfigKeys.QUEUE_RETRY_LIMIT, 0, 100);
    queueRetryDelay = duration(ConfigKeys.QUEUE_RETRY_DELAY);
    queueExpireIn = duration(ConfigKeys.QUEUE_EXPIRE_IN);
    queueLease = duration(ConfigKeys.QUEUE_LEASE);
    queuePollInterval = duration(ConfigKeys.QUEUE_POLL_INTERVAL);
    jobRetention = duration(ConfigKeys.JOB_RETENTION);
    uploadRetention = duration(ConfigKeys.UPLOAD_RETENTION);
    ffmpegPath = required(ConfigKeys.FFMPEG_PATH);
    ffprobePath = required(ConfigKeys.FFPROBE_PATH);
    webhookRetrySchedule = durations(ConfigKeys.WEBHOOK_RETRY_SCHEDULE);
    webhookRetention = duration(ConfigKeys.WEBHOOK_RETENTION);
    role = Role.parse(ConfigKeys.ROLE, required(ConfigKeys.ROLE));
    storageMinFreeBytes = intValue(ConfigKeys.STORAGE_MIN_FREE_MB, 0, 10_000_000) * 1024L * 1024L;
    viewerCdnBase = httpUrl(ConfigKeys.VIEWER_CDN_BASE, required(ConfigKeys.VIEWER_CDN_BASE));
  }

  /** Validates a merged configuration object. */
  public static AppConfig from(JsonObject merged) {
    return new AppConfig(merged);
  }

  public int port() {
    return port;
  }

  /** The interface the HTTP server listens on ({@code 0.0.0.0}: all of them). */
  public String bindAddress() {
    return bindAddress;
  }

  /** Whether only this machine can reach the HTTP server (it listens on a loopback address). */
  public boolean loopbackOnly() {
    return loopbackOnly;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The external database, or empty when the embedded server is used. */
  public Optional<DatabaseUrl> databaseUrl() {
    return Optional.ofNullable(databaseUrl);
  }

  public int dbPoolSize() {
    return dbPoolSize;
  }

  public Optional<URI> backendUrl() {
    return Optional.ofNullable(backendUrl);
  }

  /**
   * The webhook secrets, current first: the first goes into {@code X-Webhook-Secret}, each one
   * signs (several while the backend's secret is being rotated); empty when unset.
   */
  public List<String> webhookSecrets() {
    return webhookSecrets;
  }

  public URI frontendUrl() {
    return frontendUrl;
  }

  public Path storagePath() {
    return storagePath;
  }

  public Path uploadsPath() {
    return uploadsPath;
  }

  public String cleanupSchedule() {
    return cleanupSchedule;
  }

  public boolean borderEnhancer() {
    return borderEnhancer;
  }

  /** Bearer token required by {@code POST /compile}, uploads and admin routes; empty = open. */
  public Optional<String> apiToken() {
    return Optional.ofNullable(apiToken);
  }

  public Duration demoTtl() {
    return demoTtl;
  }

  /** Instances of the compile worker verticle (default: cores − 1, at least 1). */
  public int compileWorkers() {
    return compileWorkers;
  }

  public long maxUploadBytes() {
    return maxUploadBytes;
  }

  /** Retries of a compile job after a transient failure. */
  public int queueRetryLimit() {
    return queueRetryLimit;
  }

  /** The first retry delay of a compile job (doubled per retry). */
  public Duration queueRetryDelay() {
    return queueRetryDelay;
  }

  /** The longest time one compile attempt may run. */
  public Duration queueExpireIn() {
    return queueExpireIn;
  }

  public Duration queueLease() {
    return queueLease;
  }

  public Duration queuePollInterval() {
    return queuePollInterval;
  }

  public Duration jobRetention() {
    return jobRetention;
  }

  /** Uploads older than this, which no unfinished project uses, are deleted by the cleanup. */
  public Duration uploadRetention() {
    return uploadRetention;
  }

  /** Where the viewer loads A-Frame and MindAR from when the build could not bundle them under /vendor/. */
  public URI viewerCdnBase() {
    return viewerCdnBase;
  }

  public String ffmpegPath() {
    return ffmpegPath;
  }

  public String ffprobePath() {
    return ffprobePath;
  }

  /** Delays before each webhook retry; an event is failed when they are used up. */
  public List<Duration> webhookRetrySchedule() {
    return webhookRetrySchedule;
  }

  /** How long delivered webhook events are kept before cleanup deletes them. */
  public Duration webhookRetention() {
    return webhookRetention;
  }

  /** What this process runs: everything, the API only, or the compile workers only. */
  public Role role() {
    return role;
  }

  /** Free space the storage folder must keep for the service to report healthy. */
  public long storageMinFreeBytes() {
    return storageMinFreeBytes;
  }

  /** The effective settings with secrets and database passwords masked, for logs and {@code config}. */
  public JsonObject describe() {
    JsonObject out = new JsonObject()
        .put(ConfigKeys.PORT, port)
        .put(ConfigKeys.BIND_ADDRESS, bindAddress)
        .put(ConfigKeys.DATA_DIR, dataDir.toString())
        .put(ConfigKeys.DATABASE_URL, databaseUrl == null ? null : databaseUrl.redacted())
        .put(ConfigKeys.DB_POOL_SIZE, dbPoolSize)
        .put(ConfigKeys.BACKEND_URL, backendUrl == null ? null : backendUrl.toString())
        .put(ConfigKeys.BACKEND_WEBHOOK_SECRET, webhookSecrets.isEmpty() ? null : "***")
        .put(ConfigKeys.FRONTEND_URL, frontendUrl.toString())
        .put(ConfigKeys.STORAGE_PATH, storagePath.toString())
        .put(ConfigKeys.UPLOADS_PATH, uploadsPath.toString())
        .put(ConfigKeys.DEMO_CLEANUP_SCHEDULE, cleanupSchedule)
        .put(ConfigKeys.BORDER_ENHANCER, borderEnhancer)
        .put(ConfigKeys.API_TOKEN, apiToken == null ? null : "***")
        .put(ConfigKeys.DEMO_TTL, demoTtl.toString())
        .put(ConfigKeys.COMPILE_WORKERS, compileWorkers)
        .put(ConfigKeys.MAX_UPLOAD_MB, maxUploadBytes / (1024 * 1024))
        .put(ConfigKeys.QUEUE_RETRY_LIMIT, queueRetryLimit)
        .put(ConfigKeys.QUEUE_RETRY_DELAY, queueRetryDelay.toString())
        .put(ConfigKeys.QUEUE_EXPIRE_IN, queueExpireIn.toString())
        .put(ConfigKeys.QUEUE_LEASE, queueLease.toString())
        .put(ConfigKeys.QUEUE_POLL_INTERVAL, queuePollInterval.toString())
        .put(ConfigKeys.JOB_RETENTION, jobRetention.toString())
        .put(ConfigKeys.UPLOAD_RETENTION, uploadRetention.toString())
        .put(ConfigKeys.FFMPEG_PATH, ffmpegPath)
        .put(ConfigKeys.FFPROBE_PATH, ffprobePath)
        .put(ConfigKeys.WEBHOOK_RETRY_SCHEDULE, String.join(",", webhookRetrySchedule.stream().map(Duration::toString)
            .toList()))
        .put(ConfigKeys.WEBHOOK_RETENTION, webhookRetention.toString())
        .put(ConfigKeys.ROLE, role.id())
        .put(ConfigKeys.STORAGE_MIN_FREE_MB, storageMinFreeBytes / (1024 * 1024))
        .put(ConfigKeys.VIEWER_CDN_BASE, viewerCdnBase.toString());
    return out;
  }

  private Optional<String> optional(String key) {
    Object v = raw.getValue(key);
    if (v == null) {
      return Optional.empty();
    }
    String s = String.valueOf(v).trim();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private String required(String key) {
    return optional(key).orElseThrow(() -> new ConfigException(key, "must be set"));
  }

  private int intValue(String key, int min, int max) {
    String s = required(key);
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + s + "' is not a whole number");
    }
    if (v < min || v > max) {
      throw new ConfigException(key, v + " is outside " + min + ".." + max);
    }
    return v;
  }

  private boolean bool(String key) {
    String s = optional(key).orElse("false").toLowerCase(Locale.ROOT);
    switch (s) {
      case "true", "1", "yes", "on":
        return true;
      case "false", "0", "no", "off":
        return false;
      default:
        throw new ConfigException(key, "'" + s + "' is not true or false");
    }
  }

  private Duration duration(String key) {
    return positiveDuration(key, required(key));
  }

  /** A comma-separated list of positive durations, at least one. */
  private List<Duration> durations(String key) {
    List<Duration> out = new ArrayList<>();
    for (String part : required(key).split(",")) {
      out.add(positiveDuration(key, part.trim()));
    }
    return List.copyOf(out);
  }

  private static List<String> secrets(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static Duration positiveDuration(String key, String s) {
    try {
      Duration d = Duration.parse(s);
      if (d.isNegative() || d.isZero()) {
        throw new ConfigException(key, "'" + s + "' must be a positive duration");
      }
      return d;
    } catch (java.time.format.DateTimeParseException e) {
      throw new ConfigException(key, "'" + s + "' is not an ISO-8601 duration such as PT24H or PT30S");
    }
  }

  private static InetAddress address(String key, String value) {
    try {
      return InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      throw new ConfigException(key, "'" + value + "' is not an address of this machine");
    }
  }

  private static URI httpUrl(String key, String value) {
    try {
      URI uri = new URI(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException(key, "'" + value + "' is not an http(s) URL");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(key, "'" + value + "' is not an http(s) URL");
    }
  }

  private static String cron(String key, String value) {
    if (value.trim().split("\\s+").length != 5) {
      throw new ConfigException(key, "'" + value + "' is not a 5-field cron expression");
    }
    try {
      CRON.parse(value).validate();
      return value;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "'" + value + "' is not a valid cron expression");
    }
  }
}
