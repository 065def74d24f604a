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
 * @param trustedProxies the peers whose {@code X-Forwarded-For} names the client (for throttling
 *     failed sign-ins); empty = none, the peer is the client
 * @param maxUploadBytes the largest {@code POST /uploads} body
 * @param sseHeartbeat how often a live stream with nothing to say sends a comment, so proxies and
 *     browsers keep it open
 * @param sseRecheck how often the process looks in one query whether a project with open streams
 *     changed without its NOTIFY arriving (the LISTEN connection was down)
 * @param sseMaxPerClient the most live streams one client address may hold open at once
 * @param idleTimeout how long a connection may neither send nor receive a byte before it is closed
 * @param headerTimeout how long a client has to send a request's head, from opening the connection
 *     or from the end of the previous response
 * @param metricsToken the bearer token {@code /metrics} requires; empty = open
 * @param viewerFrameAncestors who may show the viewer and its status pages in a frame: the sources
 *     of their CSP {@code frame-ancestors}
 */
public record HttpSettings(
    int port,
    String bindAddress,
    boolean loopbackOnly,
    URI frontendUrl,
    Optional<String> apiToken,
    List<AddressRange> trustedProxies,
    long maxUploadBytes,
    Duration sseHeartbeat,
    Duration sseRecheck,
    int sseMaxPerClient,
    Duration idleTimeout,
    Duration headerTimeout,
    Optional<String> metricsToken,
    List<String> viewerFrameAncestors) {

  static HttpSettings from(Values values) {
    String bind = values.get(Settings.BIND_ADDRESS);
    Duration heartbeat = values.get(Settings.SSE_HEARTBEAT);
    Duration idle = values.get(Settings.HTTP_IDLE_TIMEOUT);
    if (heartbeat.compareTo(idle) >= 0) {
      throw new ConfigException(
          ConfigKeys.SSE_HEARTBEAT,
          "must be shorter than "
              + ConfigKeys.HTTP_IDLE_TIMEOUT
              + " ("
              + idle
              + "), or live streams are closed as idle");
    }
    return new HttpSettings(
        values.get(Settings.PORT),
        bind,
        Parsers.resolve(ConfigKeys.BIND_ADDRESS, bind).isLoopbackAddress(),
        values.get(Settings.FRONTEND_URL),
        values.optional(Settings.API_TOKEN),
        values.get(Settings.TRUSTED_PROXIES),
        values.get(Settings.MAX_UPLOAD_MB) * AppConfig.MB,
        heartbeat,
        values.get(Settings.SSE_RECHECK_INTERVAL),
        values.get(Settings.SSE_MAX_PER_CLIENT),
        idle,
        values.get(Settings.HTTP_HEADER_TIMEOUT),
        values.optional(Settings.METRICS_TOKEN),
        values.get(Settings.VIEWER_FRAME_ANCESTORS));
  }
}
