package com.arservice.config;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The parsers of the setting table; each failure is one line naming the key. */
final class Parsers {
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Pattern FRAME_SOURCE =
      Pattern.compile(
          "'self'|'none'|\\*|https?://(\\*\\.)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*(:([0-9]{1,5}|\\*))?");

  private Parsers() {}

  static Setting.Parser<Integer> wholeNumber(int min, int max) {
    return (key, text) -> {
      int v;
      try {
        v = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new ConfigException(key, "'" + text + "' is not a whole number");
      }
      if (v < min || v > max) {
        throw new ConfigException(key, v + " is outside " + min + ".." + max);
      }
      return v;
    };
  }

  static String text(String key, String text) {
    return text;
  }

  static boolean bool(String key, String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default ->
          throw new ConfigException(
              key, "'" + text.toLowerCase(Locale.ROOT) + "' is not true or false");
    };
  }

  /** A marker compile mode's name; the compiler parses it (config stays below the compiler). */
  static String markerMode(String key, String text) {
    String mode = text.toLowerCase(Locale.ROOT);
    if (!mode.equals("reference") && !mode.equals("robust")) {
      throw new ConfigException(key, "'" + text + "' is not reference or robust");
    }
    return mode;
  }

  static Path path(String key, String text) {
    return Path.of(text).toAbsolutePath().normalize();
  }

  static Duration duration(String key, String text) {
    try {
      Duration d = Duration.parse(text);
      if (d.isNegative() || d.isZero()) {
        throw new ConfigException(key, "'" + text + "' must be a positive duration");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          key, "'" + text + "' is not an ISO-8601 duration such as PT24H or PT30S");
    }
  }

  /** A comma-separated list of positive durations, at least one. */
  static List<Duration> durations(String key, String text) {
    return Arrays.stream(text.split(",")).map(part -> duration(key, part.trim())).toList();
  }

  /** Comma-separated values, blanks dropped. */
  static List<String> list(String key, String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** A name or address of this machine, kept as written (the server listens on it). */
  static String address(String key, String text) {
    resolve(key, text);
    return text;
  }

  /** Comma-separated IP addresses and CIDR blocks, written as digits (never looked up). */
  static List<AddressRange> addressRanges(String key, String text) {
    return list(key, text).stream()
        .map(
            part ->
                AddressRange.parse(part)
                    .orElseThrow(
                        () ->
                            new ConfigException(
                                key, "'" + part + "' is not an IP address or CIDR block")))
        .toList();
  }

  static InetAddress resolve(String key, String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new ConfigException(key, "'" + text + "' is not an address of this machine");
    }
  }

  /**
   * CSP {@code frame-ancestors} sources, separated by spaces or commas: {@code 'self'}, {@code
   * 'none'} (alone), {@code *}, or an http(s) origin such as {@code https://shop.example} or {@code
   * https://*.shop.example:8443}; nothing that could end the directive.
   */
  static List<String> frameAncestors(String key, String text) {
    List<String> sources = Arrays.stream(text.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
    for (String source : sources) {
      if (!FRAME_SOURCE.matcher(source).matches()) {
        throw new ConfigException(
            key, "'" + source + "' is not 'self', 'none', * or an http(s) origin");
      }
    }
    if (sources.isEmpty() || (sources.contains("'none'") && sources.size() > 1)) {
      throw new ConfigException(key, "'" + text + "' needs sources, or 'none' alone");
    }
    return sources;
  }

  static URI httpUrl(String key, String text) {
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below, like any other URL that is not http(s)
    }
    throw new ConfigException(key, "'" + text + "' is not an http(s) URL");
  }

  /** An S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens. */
  static String bucket(String key, String text) {
    if (!text.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException(
          key,
          "'"
              + text
              + "' is not a bucket name (3 to 63 lower-case letters, digits, dots, hyphens)");
    }
    return text;
  }

  /**
   * A folder-like key prefix inside the bucket, such as {@code ar/}: no leading slash, one trailing
   * slash added.
   */
  static String keyPrefix(String key, String text) {
    String prefix = text.replaceAll("^/+", "").replaceAll("/+$", "");
    if (!prefix.matches("[A-Za-z0-9._/-]*") || prefix.contains("//") || prefix.contains("..")) {
      throw new ConfigException(
          key, "'" + text + "' is not a key prefix (letters, digits, '.', '_', '-' and '/')");
    }
    return prefix.isEmpty() ? "" : prefix + "/";
  }

  static String cron(String key, String text) {
    if (text.split("\\s+").length != 5) {
      throw new ConfigException(key, "'" + text + "' is not a 5-field cron expression");
    }
    try {
      CRON.parse(text).validate();
      return text;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "'" + text + "' is not a valid cron expression");
    }
  }

  /**
   * The backup folder: an absolute path PostgreSQL's archive command can name without quoting
   * trouble (no quotes, {@code $}, backslash or backquote).
   */
  static Path backupFolder(String key, String text) {
    Path folder = path(key, text);
    if (folder.toString().matches(".*['\"$\\\\`].*")) {
      throw new ConfigException(
          key, "'" + text + "' must not contain quotes, '$', a backslash or '`'");
    }
    return folder;
  }
}
