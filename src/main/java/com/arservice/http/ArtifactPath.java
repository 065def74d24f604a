package com.arservice.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The one check before any artifact is served, from the folder or the bucket, whole, gzipped,
 * ranged or as a {@code 304}: the path below the prefix names a file by visible, non-empty
 * segments, so the work folders ({@code .work}) and anything hidden answer 404 with no validator
 * that would tell they exist. The checked relative path is left in the context for the next
 * handlers.
 */
final class ArtifactPath implements Handler<RoutingContext> {
  /** The context key of the checked path below the prefix, e.g. {@code <id>/marker.mind}. */
  static final String RELATIVE = "artifactPath";

  private final String prefix;

  /**
   * @param prefix the route's prefix, ending in a slash
   */
  ArtifactPath(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String relative = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
    if (!servable(relative)) {
      ctx.fail(404);
      return;
    }
    ctx.put(RELATIVE, relative);
    ctx.next();
  }

  static boolean servable(String relative) {
    if (relative.isEmpty()) {
      return false;
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.isEmpty() || segment.startsWith(".") || !visible(segment)) {
        return false;
      }
    }
    return true;
  }

  /** No control characters (NUL above all) and no backslash, which some file systems split on. */
  private static boolean visible(String segment) {
    return segment.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\');
  }
}
