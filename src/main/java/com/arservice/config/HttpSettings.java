package com.arservice.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP server and its public API.
 *
 * @param bindAddress the interface the server listens on ({@code 0.0.0.0}: all of them)
 * @param loopbackOnly whether only this machine can reach the server (it listens on a loopback
 *     address)
 * @param frontendUrl the public site; viewer links start with it
 * @param apiToken the bearer token {@code POST /compile}, uploads and admin routes require; empty =
 *     open
 * @param maxUploadBytes the largest {@code POST /uploads} body
 * @param sseHeartbeat how often a live stream with nothing to say sends a comment, so proxies and
 *     browsers keep it open
 * @param viewerFrameAncestors who may show the viewer and its status pages in a frame: the sources
 *     of their CSP {@code frame-ancestors}
 */
public record HttpSettings(
    int port,
    String bindAddress,
    boolean loopbackOnly,
    URI frontendUrl,
    Optional<String> apiToken,
    long maxUploadBytes,
    Duration sseHeartbeat,
    List<String> viewerFrameAncestors) {

  static HttpSettings from(Values values) {
    String bind = values.get(Settings.BIND_ADDRESS);
    return new HttpSettings(
        values.get(Settings.PORT),
        bind,
        Parsers.resolve(ConfigKeys.BIND_ADDRESS, bind).isLoopbackAddress(),
        values.get(Settings.FRONTEND_URL),
        values.optional(Settings.API_TOKEN),
        values.get(Settings.MAX_UPLOAD_MB) * AppConfig.MB,
        values.get(Settings.SSE_HEARTBEAT),
        values.get(Settings.VIEWER_FRAME_ANCESTORS));
  }
}
