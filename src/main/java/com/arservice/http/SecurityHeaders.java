package com.arservice.http;

import com.arservice.viewer.Templates;
import com.arservice.viewer.ViewerPage;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The hardening headers. {@link #mark} runs first on every request: no content sniffing, only the
 * origin as referrer to other sites (never a project's address), and a policy that lets an answer
 * load and embed nothing. The page routes replace that policy with their own: {@link #console} and
 * {@link #viewer} (the viewer, its status pages and the static {@code index.html}).
 */
final class SecurityHeaders {
  static final String CSP = "Content-Security-Policy";

  /** What no route relaxes: JSON, errors, files. */
  static final String NOTHING = "default-src 'none'; frame-ancestors 'none'";

  /** A project's static page, below the artifacts' prefix as {@link ArtifactPath} left it. */
  private static final Pattern PROJECT_PAGE = Pattern.compile("[^/]+/index\\.html");

  private static final String LOCKED = "object-src 'none'; base-uri 'none'; ";

  private final String console;
  private final String viewer;

  /**
   * @param artifactOrigin the public bucket's origin, where pages read artifacts when it is set
   * @param frameAncestors who may frame the viewer ({@code AR_VIEWER_FRAME_ANCESTORS})
   */
  SecurityHeaders(ViewerPage page, Optional<String> artifactOrigin, List<String> frameAncestors) {
    String artifacts = artifactOrigin.map(o -> " " + o).orElse("");
    this.console =
        "default-src 'self'; img-src 'self' data:"
            + artifacts
            + "; media-src 'self'"
            + artifacts
            + "; "
            + LOCKED
            + "form-action 'self'; frame-ancestors 'none'";
    List<String> scripts = new ArrayList<>(List.of("'self'"));
    scripts.addAll(Templates.inlineScriptHashes("viewer.html"));
    scripts.addAll(Templates.inlineScriptHashes("pages/status.html"));
    scripts.add(page.importMapHash());
    // TensorFlow.js's 64-bit integers (long.js) try a tiny WebAssembly module first; no JS eval
    scripts.add("'wasm-unsafe-eval'");
    scripts.addAll(page.scriptOrigins());
    this.viewer =
        "default-src 'self'; script-src "
            + String.join(" ", scripts)
            // MindAR adds a style element of its own
            + "; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:"
            + artifacts
            + "; media-src 'self' blob: mediastream:"
            + artifacts
            + "; connect-src 'self' data: blob:"
            + page.reportOrigins().stream().map(o -> " " + o).collect(Collectors.joining())
            + artifacts
            // MindAR's tracker runs in a worker made from a blob
            + "; worker-src 'self' blob:; "
            + LOCKED
            + "form-action 'none'; frame-ancestors "
            + String.join(" ", frameAncestors);
  }

  /** The first handler of every request. */
  static void mark(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "strict-origin-when-cross-origin")
        .putHeader(CSP, NOTHING);
    ctx.next();
  }

  /** The console's pages: its own scripts, styles and calls, artifacts shown, never framed. */
  void console(RoutingContext ctx) {
    ctx.response().putHeader(CSP, console);
    ctx.next();
  }

  /**
   * The viewer and its status pages: the libraries (bundled, else from the CDN), the pages' inline
   * scripts by hash, the camera, the artifacts, framed only by {@code AR_VIEWER_FRAME_ANCESTORS}.
   */
  void viewer(RoutingContext ctx) {
    ctx.response().putHeader(CSP, viewer);
    ctx.next();
  }

  /** A project's static page, {@code <id>/index.html} among its artifacts, is a viewer page. */
  void projectPage(RoutingContext ctx) {
    String relative = ctx.get(ArtifactPath.RELATIVE);
    if (PROJECT_PAGE.matcher(relative).matches()) {
      ctx.response().putHeader(CSP, viewer);
    }
    ctx.next();
  }

  /**
   * An answer whose content depends on the API token or the console's cookie: caches keep the
   * callers apart, and a full answer (it names the customer) is kept by none.
   */
  static void dependsOnCredentials(HttpServerResponse response, boolean full) {
    response.putHeader("Vary", "Authorization, Cookie");
    if (full) {
      response.putHeader("Cache-Control", "private, no-store");
    }
  }
}
