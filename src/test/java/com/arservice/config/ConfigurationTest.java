package com.arservice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.testing.Processes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() {
    vertx.close().await();
  }

  @Test
  void packagedDefaultsGiveTheDocumentedValues() {
    AppConfig config = AppConfig.from(ConfigLoader.defaults().put(ConfigKeys.DATA_DIR, "/srv/ar"));
    assertEquals(5000, config.http().port());
    assertEquals(20, config.database().poolSize());
    assertTrue(config.database().url().isEmpty());
    assertEquals(Path.of("/srv/ar/ar-storage"), config.storage().artifacts());
    assertEquals(Path.of("/srv/ar/uploads"), config.storage().uploads());
    assertEquals("0 2 * * *", config.cleanup().schedule());
    assertEquals("http://localhost:5000", config.http().frontendUrl().toString());
    assertFalse(config.media().borderEnhancer());
    assertEquals("robust", config.media().markerMode());
    assertEquals(Duration.ofSeconds(60), config.http().idleTimeout());
    assertEquals(Duration.ofSeconds(30), config.http().headerTimeout());
    assertTrue(config.http().metricsToken().isEmpty());
  }

  @Test
  void aConfFileOverridesTheDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ar.json");
    Files.writeString(
        file, new JsonObject().put("PORT", 6001).put("AR_STORAGE_PATH", "/data/store").encode());
    AppConfig config = ConfigLoader.load(vertx, file).await();
    assertEquals(6001, config.http().port());
    assertEquals(Path.of("/data/store"), config.storage().artifacts());
    assertEquals(20, config.database().poolSize());
  }

  @Test
  void aMissingConfFileIsReportedByName(@TempDir Path dir) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(vertx, dir.resolve("absent.json")).await());
    assertTrue(e.getMessage().contains("absent.json"), e.getMessage());
  }

  @Test
  void environmentOverridesFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ar.json");
    Files.writeString(
        file,
        new JsonObject()
            .put("PORT", 6001)
            .put("AR_DB_POOL_SIZE", 7)
            .put("FRONTEND_URL", "https://file.example")
            .encode());
    Processes.Result r =
        Processes.runMain(
            Map.of(
                "PORT",
                "7002",
                "AR_DATA_DIR",
                dir.toString(),
                "AR_DATABASE_URL",
                "postgresql://shop:s3cret@db.internal:5434/ar_db"),
            "config",
            "--conf",
            file.toString());
    assertEquals(0, r.exitCode(), r.stderr());
    JsonObject effective = new JsonObject(r.stdout().trim());
    assertEquals(7002, effective.getInteger("PORT"), "env beats file");
    assertEquals(7, effective.getInteger("AR_DB_POOL_SIZE"), "file beats defaults");
    assertEquals("https://file.example", effective.getString("FRONTEND_URL"));
    assertEquals(
        "0 2 * * *", effective.getString("DEMO_CLEANUP_SCHEDULE"), "defaults fill the rest");
    assertEquals(
        "postgresql://shop:***@db.internal:5434/ar_db", effective.getString("AR_DATABASE_URL"));
    assertFalse(r.stdout().contains("s3cret"), "the password is never printed");
  }

  @Test
  void aBadEnvironmentValueStopsStartUpWithOneLineNamingTheVariable(@TempDir Path dir)
      throws Exception {
    Processes.Result r = Processes.runMain(Map.of("PORT", "eighty", "AR_DATA_DIR", dir.toString()));
    assertEquals(2, r.exitCode());
    assertEquals(
        "ar-service: Invalid configuration PORT: 'eighty' is not a whole number",
        r.stderr().trim());
  }

  @Test
  void invalidValuesAreRejectedWithTheirKey() {
    assertInvalid(ConfigKeys.PORT, "70000", "outside 0..65535");
    assertInvalid(ConfigKeys.DEMO_CLEANUP_SCHEDULE, "0 2 * *", "5-field cron");
    assertInvalid(ConfigKeys.DEMO_CLEANUP_SCHEDULE, "0 25 * * *", "not a valid cron");
    assertInvalid(ConfigKeys.BORDER_ENHANCER, "maybe", "not true or false");
    assertInvalid(ConfigKeys.MARKER_MODE, "fast", "'fast' is not reference or robust");
    assertInvalid(ConfigKeys.DATABASE_URL, "mysql://x@h/db", "postgresql://");
    assertInvalid(ConfigKeys.DATABASE_URL, "postgresql://u:p@host:5432", "no database name");
    assertInvalid(ConfigKeys.BACKEND_URL, "backend:5002", "http(s) URL");
    assertInvalid(ConfigKeys.DB_POOL_SIZE, "0", "outside 1..1000");
    assertInvalid(ConfigKeys.ROLE, "frontend", "not one of all, api, worker");
    assertInvalid(ConfigKeys.STORAGE_MIN_FREE_MB, "-1", "outside 0..10000000");
    assertInvalid(
        ConfigKeys.SSE_HEARTBEAT, "PT60S", "must be shorter than AR_HTTP_IDLE_TIMEOUT (PT1M)");
    assertInvalid(ConfigKeys.BACKUP_S3_PREFIX, "backup/", "needs the bucket of AR_S3_*");
  }

  @Test
  void trustedProxiesAreAddressesAndBlocksLoopbackByDefaultAndNoneWhenEmpty() {
    AppConfig defaults = AppConfig.from(ConfigLoader.defaults());
    assertEquals(
        List.of(
            AddressRange.parse("127.0.0.1").orElseThrow(), AddressRange.parse("::1").orElseThrow()),
        defaults.http().trustedProxies());
    AppConfig compose =
        AppConfig.from(
            ConfigLoader.defaults().put(ConfigKeys.TRUSTED_PROXIES, "10.0.0.0/8, fd00::/8"));
    assertEquals(
        "10.0.0.0/8,fd00:0:0:0:0:0:0:0/8",
        compose.describe().getString(ConfigKeys.TRUSTED_PROXIES));
    assertEquals(
        List.of(),
        AppConfig.from(ConfigLoader.defaults().put(ConfigKeys.TRUSTED_PROXIES, ""))
            .http()
            .trustedProxies());
    assertInvalid(
        ConfigKeys.TRUSTED_PROXIES, "nginx", "'nginx' is not an IP address or CIDR block");
    assertInvalid(ConfigKeys.TRUSTED_PROXIES, "10.0.0.0/33", "not an IP address or CIDR block");
  }

  @Test
  void webhookSecretsAndRetryScheduleAreLists() {
    AppConfig config =
        AppConfig.from(
            ConfigLoader.defaults()
                .put(ConfigKeys.BACKEND_WEBHOOK_SECRET, "new-secret, old-secret")
                .put(ConfigKeys.WEBHOOK_RETRY_SCHEDULE, "PT1S,PT2S"));
    assertEquals(List.of("new-secret", "old-secret"), config.webhooks().secrets());
    assertEquals(
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), config.webhooks().retrySchedule());
    assertEquals("***", config.describe().getString(ConfigKeys.BACKEND_WEBHOOK_SECRET));
    AppConfig defaults = AppConfig.from(ConfigLoader.defaults());
    assertEquals(9, defaults.webhooks().retrySchedule().size());
    assertEquals(Duration.ofHours(24), defaults.webhooks().retrySchedule().get(8));
    assertInvalid(ConfigKeys.WEBHOOK_RETRY_SCHEDULE, "PT5S,soon", "not an ISO-8601 duration");
    assertInvalid(ConfigKeys.WEBHOOK_RETENTION, "-P1D", "positive");
  }

  @Test
  void theViewersFrameAncestorsAreTheSiteItselfUnlessOriginsAreListed() {
    assertEquals(
        List.of("'self'"), AppConfig.from(ConfigLoader.defaults()).http().viewerFrameAncestors());
    AppConfig shop =
        AppConfig.from(
            ConfigLoader.defaults()
                .put(
                    ConfigKeys.VIEWER_FRAME_ANCESTORS,
                    "'self', https://shop.example https://*.cdn.example:8443"));
    assertEquals(
        List.of("'self'", "https://shop.example", "https://*.cdn.example:8443"),
        shop.http().viewerFrameAncestors());
    assertEquals(
        "'self' https://shop.example https://*.cdn.example:8443",
        shop.describe().getString(ConfigKeys.VIEWER_FRAME_ANCESTORS));
    assertInvalid(
        ConfigKeys.VIEWER_FRAME_ANCESTORS,
        "https://shop.example; script-src *",
        "'https://shop.example;' is not 'self', 'none', * or an http(s) origin");
    assertInvalid(ConfigKeys.VIEWER_FRAME_ANCESTORS, "shop.example/path", "not 'self'");
    assertInvalid(ConfigKeys.VIEWER_FRAME_ANCESTORS, "'none' https://shop.example", "'none' alone");
  }

  @Test
  void everyKeyHasAPackagedDefaultAndIsPrintedInTheTablesOrderWithSecretsMasked() {
    assertEquals(ConfigKeys.ALL, List.copyOf(ConfigLoader.defaults().fieldNames()));
    JsonObject printed =
        AppConfig.from(ConfigLoader.defaults().put(ConfigKeys.API_TOKEN, "t0ken")).describe();
    assertEquals(ConfigKeys.ALL, List.copyOf(printed.fieldNames()));
    assertEquals("***", printed.getString(ConfigKeys.API_TOKEN));
    assertFalse(printed.encode().contains("t0ken"));
    JsonObject metrics =
        AppConfig.from(ConfigLoader.defaults().put(ConfigKeys.METRICS_TOKEN, "m3trics")).describe();
    assertEquals("***", metrics.getString(ConfigKeys.METRICS_TOKEN));
    assertNull(AppConfig.from(ConfigLoader.defaults()).describe().getValue(ConfigKeys.API_TOKEN));
  }

  @Test
  void aBucketIsConfiguredWholeOrNotAtAllWithTheSecretMasked() {
    assertTrue(AppConfig.from(ConfigLoader.defaults()).storage().s3().isEmpty(), "unset: folders");
    JsonObject bucket =
        ConfigLoader.defaults()
            .put(ConfigKeys.S3_ENDPOINT, "http://minio:9000")
            .put(ConfigKeys.S3_BUCKET, "ar-service")
            .put(ConfigKeys.S3_ACCESS_KEY_ID, "key")
            .put(ConfigKeys.S3_SECRET_ACCESS_KEY, "s3cr3t-value")
            .put(ConfigKeys.S3_PREFIX, "/shop/ar/")
            .put(ConfigKeys.S3_PATH_STYLE, "true");
    AppConfig config = AppConfig.from(bucket);
    S3Settings s3 = config.storage().s3().orElseThrow();
    assertEquals("shop/ar/", s3.prefix());
    assertTrue(s3.pathStyle());
    assertEquals("us-east-1", s3.region());
    assertEquals("***", config.describe().getString(ConfigKeys.S3_SECRET_ACCESS_KEY));
    assertFalse(config.describe().encode().contains("s3cr3t"));
    assertFalse(s3.toString().contains("s3cr3t"));

    ConfigException noBucket =
        assertThrows(
            ConfigException.class,
            () -> AppConfig.from(bucket.copy().putNull(ConfigKeys.S3_BUCKET)));
    assertEquals(
        "Invalid configuration AR_S3_BUCKET: must be set when AR_S3_ENDPOINT is set",
        noBucket.getMessage());
    ConfigException noEndpoint =
        assertThrows(
            ConfigException.class,
            () -> AppConfig.from(bucket.copy().putNull(ConfigKeys.S3_ENDPOINT)));
    assertEquals(
        "Invalid configuration AR_S3_BUCKET: is set but AR_S3_ENDPOINT is not: set both, or neither",
        noEndpoint.getMessage());
    assertInvalid(ConfigKeys.S3_BUCKET, "My_Bucket", "not a bucket name");
    assertInvalid(ConfigKeys.S3_PREFIX, "a/../b", "not a key prefix");
    assertInvalid(ConfigKeys.S3_ENDPOINT, "minio:9000", "http(s) URL");
  }

  @Test
  void databaseUrlsInTheSeedsFormAreParsed() {
    AppConfig config =
        AppConfig.from(
            ConfigLoader.defaults()
                .put(
                    ConfigKeys.DATABASE_URL,
                    "postgresql://photobooks:Secure%40Pass@ar-db:5432/ar_db"));
    DatabaseUrl url = config.database().url().orElseThrow();
    assertEquals("ar-db", url.host());
    assertEquals(5432, url.port());
    assertEquals("ar_db", url.database());
    assertEquals("photobooks", url.user());
    assertEquals("Secure@Pass", url.password());
    assertEquals("jdbc:postgresql://ar-db:5432/ar_db", url.jdbcUrl());
    assertFalse(url.toString().contains("Secure"));
    assertEquals(
        url,
        DatabaseUrl.parse(ConfigKeys.DATABASE_URL, url.uri()),
        "uri() hands the same server on");
  }

  private static void assertInvalid(String key, String value, String expected) {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> AppConfig.from(ConfigLoader.defaults().put(key, value)));
    assertTrue(e.getMessage().startsWith("Invalid configuration " + key + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
