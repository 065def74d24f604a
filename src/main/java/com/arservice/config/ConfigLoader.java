package com.arservice.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the configuration with vertx-config: the defaults packaged as {@code conf/config.json},
 * then an optional {@code --conf} JSON file, then the environment (only the keys of {@link
 * ConfigKeys#ALL}), then command-line options such as {@code --role}; later sources win.
 */
public final class ConfigLoader {
  static final String DEFAULTS_RESOURCE = "conf/config.json";

  private ConfigLoader() {}

  public static Future<AppConfig> load(Vertx vertx, Path confFile) {
    return load(vertx, confFile, new JsonObject());
  }

  /**
   * {@link #load(Vertx, Path)} with {@code overrides} (keys of {@link ConfigKeys}) winning over
   * every source.
   */
  public static Future<AppConfig> load(Vertx vertx, Path confFile, JsonObject overrides) {
    ConfigRetrieverOptions options =
        new ConfigRetrieverOptions()
            .setScanPeriod(0)
            .addStore(new ConfigStoreOptions().setType("json").setConfig(defaults()));
    if (confFile != null) {
      if (!Files.isRegularFile(confFile)) {
        return Future.failedFuture(
            new ConfigException("--conf", "file " + confFile + " does not exist"));
      }
      options.addStore(
          new ConfigStoreOptions()
              .setType("file")
              .setFormat("json")
              .setConfig(new JsonObject().put("path", confFile.toAbsolutePath().toString())));
    }
    options.addStore(
        new ConfigStoreOptions()
            .setType("env")
            .setConfig(
                new JsonObject().put("raw-data", true).put("keys", new JsonArray(ConfigKeys.ALL))));
    options.addStore(new ConfigStoreOptions().setType("json").setConfig(overrides));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever
        .getConfig()
        .recover(
            e ->
                Future.failedFuture(
                    new ConfigException(
                        confFile == null ? "defaults" : "--conf",
                        "cannot be read (" + e.getMessage() + ")")))
        .compose(json -> Future.succeededFuture(AppConfig.from(json)))
        .eventually(retriever::close);
  }

  static JsonObject defaults() {
    try (InputStream in =
        ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the class path");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
