package com.arservice.config;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed values of a list of settings, resolved in list order so that a fallback can read
 * earlier ones.
 */
final class Values {
  private final Map<String, Object> values = new HashMap<>();
  private final JsonObject printed = new JsonObject();

  Values(List<Setting<?>> settings, JsonObject raw) {
    settings.forEach(s -> add(s, raw));
  }

  private <T> void add(Setting<T> setting, JsonObject raw) {
    T value = setting.resolve(raw.getValue(setting.key()), this);
    values.put(setting.key(), value);
    printed.put(setting.key(), setting.print(value));
  }

  @SuppressWarnings("unchecked")
  <T> T get(Setting<T> setting) {
    if (!values.containsKey(setting.key())) {
      throw new IllegalStateException(setting.key() + " is read before it is resolved");
    }
    return (T) values.get(setting.key());
  }

  <T> Optional<T> optional(Setting<T> setting) {
    return Optional.ofNullable(get(setting));
  }

  /** Every setting as {@code config} prints it, in list order. */
  JsonObject printed() {
    return printed.copy();
  }
}
