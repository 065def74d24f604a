package com.arservice.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Page templates from {@code webroot/} (packaged in the jar). Placeholders are {@code {{name}}};
 * every value is HTML-escaped except those named {@code *Json}, which are JSON made safe for a
 * {@code <script>} element. Nothing is ever inserted raw.
 */
public final class Templates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z]+)}}");
  private static final Pattern INLINE_SCRIPT =
      Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private Templates() {}

  public static String render(String name, Map<String, String> values) {
    String template = CACHE.computeIfAbsent(name, Templates::load);
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 1024);
    while (m.find()) {
      String key = m.group(1);
      String value = values.get(key);
      if (value == null) {
        throw new IllegalArgumentException("template " + name + " needs a value for " + key);
      }
      m.appendReplacement(
          out, Matcher.quoteReplacement(key.endsWith("Json") ? scriptSafe(value) : html(value)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * The CSP sources ({@code 'sha256-...'}) of the inline scripts of template {@code name}: each
   * {@code <script>} element without attributes. They take no placeholders, so every page rendered
   * from the template carries exactly these.
   */
  public static List<String> inlineScriptHashes(String name) {
    Matcher m = INLINE_SCRIPT.matcher(CACHE.computeIfAbsent(name, Templates::load));
    List<String> hashes = new ArrayList<>();
    while (m.find()) {
      if (PLACEHOLDER.matcher(m.group(1)).find()) {
        throw new IllegalStateException("an inline script of " + name + " takes a placeholder");
      }
      hashes.add(scriptHash(m.group(1)));
    }
    return hashes;
  }

  /** The CSP source ({@code 'sha256-...'}) of an inline script whose text is {@code script}. */
  static String scriptHash(String script) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
      return "'sha256-" + Base64.getEncoder().encodeToString(hash) + "'";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String html(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** JSON inside a script element: no {@code </script>}, no comment openers, no HTML entities. */
  static String scriptSafe(String json) {
    return json.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
  }

  private static String load(String name) {
    try (InputStream in = Templates.class.getClassLoader().getResourceAsStream("webroot/" + name)) {
      if (in == null) {
        throw new IllegalStateException("webroot/" + name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
