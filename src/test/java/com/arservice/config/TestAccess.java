package com.arservice.config;

import io.vertx.core.json.JsonObject;

/** Lets tests outside this package start from the packaged defaults. */
public final class TestAccess {
  private TestAccess() {}

  public static JsonObject defaults() {
    return ConfigLoader.defaults();
  }
}
