package com.arservice.testing;

import com.arservice.config.AppConfig;
import com.arservice.config.ConfigKeys;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;

/**
 * Configurations for in-process tests: the packaged defaults, a free port and data under a temp
 * folder.
 */
public final class TestConfig {
  private TestConfig() {}

  public static AppConfig create(Path dataDir) {
    return create(dataDir, Map.of());
  }

  public static AppConfig create(Path dataDir, Map<String, Object> overrides) {
    JsonObject json =
        defaults().put(ConfigKeys.PORT, 0).put(ConfigKeys.DATA_DIR, dataDir.toString());
    overrides.forEach(json::put);
    return AppConfig.from(json);
  }

  private static JsonObject defaults() {
    return com.arservice.config.TestAccess.defaults();
  }
}
