package com.arservice.config;

import java.util.Collection;
import java.util.function.Function;

/**
 * One configuration key, defined once: how its text becomes a typed value, what stands in when it
 * is unset, how the effective value is printed by {@code config} and the start-up log, and whether
 * it is a secret (printed as {@code ***}).
 *
 * @param fallback the value when the key is unset or blank; it may read settings listed before this
 *     one
 */
record Setting<T>(
    String key,
    Parser<T> parser,
    Function<Values, T> fallback,
    Function<T, Object> printer,
    boolean secret) {

  /**
   * Turns a key's trimmed, non-empty text into its value; a bad text is a {@link ConfigException}
   * naming the key.
   */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String key, String text);
  }

  /** A key that must have a value (the packaged defaults give one to each of these). */
  static <T> Setting<T> required(String key, Parser<T> parser) {
    return new Setting<>(
        key,
        parser,
        values -> {
          throw new ConfigException(key, "must be set");
        },
        Setting::plain,
        false);
  }

  /** A key that may stay unset: its value is then null, read through {@link Values#optional}. */
  static <T> Setting<T> optional(String key, Parser<T> parser) {
    return new Setting<>(key, parser, values -> null, Setting::plain, false);
  }

  /** A key whose value, when unset, is derived from the settings before it. */
  static <T> Setting<T> derived(String key, Parser<T> parser, Function<Values, T> fallback) {
    return new Setting<>(key, parser, fallback, Setting::plain, false);
  }

  /** This setting, never printed: a set value shows as {@code ***}. */
  Setting<T> masked() {
    return new Setting<>(key, parser, fallback, printer, true);
  }

  /** This setting, printed by {@code printer} instead of as its plain value. */
  Setting<T> printedAs(Function<T, Object> printer) {
    return new Setting<>(key, parser, fallback, printer, secret);
  }

  /** The value from the key's text, or the fallback when the key is unset or blank. */
  T resolve(Object raw, Values before) {
    String text = raw == null ? "" : String.valueOf(raw).trim();
    return text.isEmpty() ? fallback.apply(before) : parser.parse(key, text);
  }

  /** The value as {@code config} prints it: null when unset, {@code ***} for a set secret. */
  Object print(T value) {
    boolean unset = value == null || value instanceof Collection<?> c && c.isEmpty();
    if (unset) {
      return null;
    }
    return secret ? "***" : printer.apply(value);
  }

  /** Numbers and booleans stay JSON numbers and booleans; anything else prints as its text. */
  private static Object plain(Object value) {
    return value instanceof Number || value instanceof Boolean || value instanceof String
        ? value
        : value.toString();
  }
}
