package com.arservice.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a PostgreSQL server is, in the seed's form {@code postgresql://user:pass@host:port/db}.
 * Used both for an external server and for the embedded one once it has started.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

  /** Parses {@code postgresql://} or {@code postgres://} URLs; failures name {@code key}. */
  public static DatabaseUrl parse(String key, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "not a URL of the form postgresql://user:pass@host:port/db");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new ConfigException(key, "must start with postgresql://");
    }
    if (uri.getHost() == null) {
      throw new ConfigException(key, "has no host");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (path.isEmpty()) {
      throw new ConfigException(key, "has no database name");
    }
    String user = "postgres";
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    return new DatabaseUrl(
        uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), decode(path), user, password);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /**
   * The URL in the form {@link #parse} reads, password included: for handing to another process,
   * never for logs.
   */
  public String uri() {
    return "postgresql://"
        + encode(user)
        + (password == null ? "" : ":" + encode(password))
        + "@"
        + host
        + ":"
        + port
        + "/"
        + encode(database);
  }

  /** The URL without its password, safe for logs. */
  public String redacted() {
    return "postgresql://"
        + user
        + (password == null ? "" : ":***")
        + "@"
        + host
        + ":"
        + port
        + "/"
        + database;
  }

  @Override
  public String toString() {
    return redacted();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
