package com.arservice.viewer;

import com.arservice.project.CompileResult;
import com.arservice.project.ProjectSpec;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The AR viewer of a ready project: {@code webroot/viewer.html} with the project's targets, videos,
 * masks and settings as JSON. The pipeline writes the page data ({@code viewer.json}) and a static
 * copy of the page that picks its language in the browser ({@code index.html}, for nginx) into the
 * project's folder; the service renders the page from the data in the language of the request.
 *
 * <p>A-Frame and MindAR come from {@code /vendor/<name>@<version>/...} when the build bundled them
 * (see {@code src/build/vendor-assets.json}), else from the same paths under the configured CDN
 * base.
 */
public final class ViewerPage {
  /** The page data of a project, beside its {@code index.html}. */
  public static final String DATA_FILE = "viewer.json";

  /** Where the service serves the bundled browser libraries. */
  public static final String VENDOR_PATH = "/vendor";

  private final String aframeUrl;
  private final String mindarUrl;
  private final String viewerUrl;
  private final String analyticsUrl;
  private final boolean analytics;
  private final String staticOrigin;
  private final JsonObject texts;

  ViewerPage(String aframeUrl, String mindarUrl, String staticOrigin, boolean analytics) {
    this.aframeUrl = aframeUrl;
    this.analytics = analytics;
    this.mindarUrl = mindarUrl;
    this.staticOrigin = staticOrigin;
    // the script's URL changes with its content, so browsers may keep it for a year
    this.viewerUrl = "/viewer/viewer.js?v=" + version(resource("webroot/viewer/viewer.js"));
    this.analyticsUrl =
        "/viewer/analytics.js?v=" + version(resource("webroot/viewer/analytics.js"));
    this.texts = new JsonObject(resource("webroot/viewer/texts.json"));
  }

  /** The first 12 hex digits of the SHA-256 of {@code text}: a static file's version. */
  public static String version(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The page with the bundled libraries when the jar has them, else with those under {@code
   * cdnBase}.
   */
  public static ViewerPage create(URI cdnBase) {
    return create(cdnBase, Optional.empty(), true);
  }

  /**
   * As {@link #create(URI)}; with {@code staticOrigin} (the service's public address) the static
   * copy ({@code index.html}, read from a public bucket, not from the service) names the libraries
   * and the script with it (and sends its reports there). With {@code analytics} false the pages
   * name no address to report to, so they send nothing.
   */
  public static ViewerPage create(URI cdnBase, Optional<URI> staticOrigin, boolean analytics) {
    Map<String, String> urls = new HashMap<>();
    String cdn = cdnBase.toString().replaceAll("/+$", "");
    for (Object o : new JsonObject(resource("vendor-assets.json")).getJsonArray("packages")) {
      JsonObject pin = (JsonObject) o;
      String path =
          "/"
              + pin.getString("name")
              + "@"
              + pin.getString("version")
              + "/"
              + pin.getString("script");
      boolean bundled =
          ViewerPage.class.getClassLoader().getResource("webroot/vendor" + path) != null;
      urls.put(pin.getString("role"), (bundled ? VENDOR_PATH : cdn) + path);
    }
    return new ViewerPage(
        urls.get("aframe"),
        urls.get("mindar"),
        staticOrigin.map(o -> o.toString().replaceAll("/+$", "")).orElse(""),
        analytics);
  }

  public String aframeUrl() {
    return aframeUrl;
  }

  public String mindarUrl() {
    return mindarUrl;
  }

  /**
   * The origins other than the page's own that its scripts come from: the CDN's when the build did
   * not bundle the libraries, and the service's public address named by the static copy.
   */
  public List<String> scriptOrigins() {
    return Stream.of(aframeUrl, mindarUrl, staticOrigin)
        .filter(url -> url.startsWith("http://") || url.startsWith("https://"))
        .map(ViewerPage::origin)
        .distinct()
        .toList();
  }

  /**
   * The origins other than the page's own that it sends its reports to: the service's public
   * address named by the static copy, when analytics are on.
   */
  public List<String> reportOrigins() {
    return analytics && !staticOrigin.isEmpty() ? List.of(origin(staticOrigin)) : List.of();
  }

  /** {@code scheme://host[:port]} of an absolute URL. */
  public static String origin(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  /** Writes {@code viewer.json} and the static {@code index.html} into a project's folder. */
  public void write(
      Path dir, ProjectSpec spec, String artifactBase, List<CompileResult.Target> targets)
      throws IOException {
    JsonObject data = data(spec.id(), spec.viewUrl(), spec.config(), artifactBase, targets);
    Files.writeString(dir.resolve(DATA_FILE), data.encode(), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("index.html"), render(null, data, staticOrigin), StandardCharsets.UTF_8);
  }

  /** The page data of a project whose marker is {@code marker.mind} under {@code artifactBase}. */
  public static JsonObject data(
      UUID id,
      String viewUrl,
      JsonObject config,
      String artifactBase,
      List<CompileResult.Target> targets) {
    return new JsonObject()
        .put("projectId", id.toString())
        .put("viewUrl", viewUrl)
        .put("markerUrl", artifactBase + "marker.mind")
        .put("config", config)
        .put("targets", CompileResult.Target.toJson(targets));
  }

  /**
   * The page for one language ({@code en} or {@code ru}), or, with {@code lang} null, carrying
   * every language for the browser to choose from.
   */
  public String render(String lang, JsonObject data) {
    return render(lang, data, "");
  }

  /** {@code origin} before the service's own paths (empty: as they are). */
  private String render(String lang, JsonObject data, String origin) {
    JsonObject pageTexts =
        lang == null ? texts : new JsonObject().put(lang, texts.getJsonObject(lang));
    String title = texts.getJsonObject(lang == null ? "en" : lang).getString("title");
    return Templates.render(
        "viewer.html",
        Map.of(
            "lang",
            lang == null ? "" : lang,
            "title",
            title,
            "aframeUrl",
            local(origin, aframeUrl),
            "mindarUrl",
            local(origin, mindarUrl),
            "viewerUrl",
            origin + viewerUrl,
            "analyticsUrl",
            origin + analyticsUrl,
            "eventsUrl",
            analytics ? origin + "/ar/view/" + data.getString("projectId") + "/events" : "",
            "markerUrl",
            data.getString("markerUrl"),
            "textsJson",
            pageTexts.encode(),
            "dataJson",
            data.encode()));
  }

  private static String local(String origin, String url) {
    return url.startsWith("/") ? origin + url : url;
  }

  private static String resource(String name) {
    try (InputStream in = ViewerPage.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
