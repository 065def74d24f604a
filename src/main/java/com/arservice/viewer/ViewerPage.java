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
 * <p>The viewer's script is {@code webroot/viewer/viewer.bundle.js}, the build's bundle of {@code
 * runtime.js} with TensorFlow.js and MindAR's controller, which loads the bundle of {@code
 * viewer.js} with three.js (see {@code src/build/vendor-assets.mjs}); a jar built without Node.js
 * has neither, and its pages load {@code viewer.js} as an ES module whose imports an import map
 * resolves to the same pinned packages under the configured CDN base.
 */
public final class ViewerPage {
  /** The page data of a project, beside its {@code index.html}. */
  public static final String DATA_FILE = "viewer.json";

  /** Where the service serves the libraries' licences. */
  public static final String VENDOR_PATH = "/vendor";

  private static final String BUNDLE = "webroot/viewer/viewer.bundle.js";

  private final boolean bundled;
  private final JsonObject importMap;
  private final String viewerUrl;
  private final String analyticsUrl;
  private final boolean analytics;
  private final String staticOrigin;
  private final JsonObject texts;

  ViewerPage(boolean bundled, JsonObject importMap, String staticOrigin, boolean analytics) {
    this.bundled = bundled;
    this.importMap = importMap;
    this.analytics = analytics;
    this.staticOrigin = staticOrigin;
    // a script's URL changes with its content, so browsers may keep it for a year
    String script = bundled ? BUNDLE : "webroot/viewer/viewer.js";
    this.viewerUrl =
        "/viewer/"
            + script.substring(script.lastIndexOf('/') + 1)
            + "?v="
            + version(resource(script));
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
   * The page with the bundled viewer when the jar has it, else with the libraries under {@code
   * cdnBase}.
   */
  public static ViewerPage create(URI cdnBase) {
    return create(cdnBase, Optional.empty(), true);
  }

  /**
   * As {@link #create(URI)}; with {@code staticOrigin} (the service's public address) the static
   * copy ({@code index.html}, read from a public bucket, not from the service) names the scripts
   * with it (and sends its reports there). With {@code analytics} false the pages name no address
   * to report to, so they send nothing.
   */
  public static ViewerPage create(URI cdnBase, Optional<URI> staticOrigin, boolean analytics) {
    boolean bundled = ViewerPage.class.getClassLoader().getResource(BUNDLE) != null;
    return new ViewerPage(
        bundled,
        bundled ? new JsonObject().put("imports", new JsonObject()) : cdnImportMap(cdnBase),
        staticOrigin.map(o -> o.toString().replaceAll("/+$", "")).orElse(""),
        analytics);
  }

  /** The import map of the pinned libraries under {@code cdnBase}. */
  static JsonObject cdnImportMap(URI cdnBase) {
    String cdn = cdnBase.toString().replaceAll("/+$", "");
    JsonObject imports = new JsonObject();
    for (Object o : new JsonObject(resource("vendor-assets.json")).getJsonArray("packages")) {
      JsonObject pin = (JsonObject) o;
      String base = cdn + "/" + pin.getString("name") + "@" + pin.getString("version") + "/";
      pin.getJsonObject("imports", new JsonObject())
          .forEach(e -> imports.put(e.getKey(), base + e.getValue()));
    }
    return new JsonObject().put("imports", imports);
  }

  /** Whether the page loads the build's bundle (else the libraries from the CDN base). */
  public boolean bundled() {
    return bundled;
  }

  /**
   * The origins other than the page's own that its scripts come from: the CDN's when the build did
   * not bundle the viewer, and the service's public address named by the static copy.
   */
  public List<String> scriptOrigins() {
    Stream<String> libraries =
        importMap.getJsonObject("imports").stream().map(e -> (String) e.getValue());
    return Stream.concat(libraries, Stream.of(staticOrigin))
        .filter(url -> url.startsWith("http://") || url.startsWith("https://"))
        .map(ViewerPage::origin)
        .distinct()
        .toList();
  }

  /** The CSP source ({@code 'sha256-...'}) of the page's import map, an inline script. */
  public String importMapHash() {
    return Templates.scriptHash(Templates.scriptSafe(importMap.encode()));
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
            "importMapJson",
            importMap.encode(),
            "viewerScriptType",
            bundled ? "text/javascript" : "module",
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
