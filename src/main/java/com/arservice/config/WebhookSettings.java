package com.arservice.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The webhooks to the shop backend.
 *
 * @param backendUrl the backend receiving the events; empty = events are recorded, not sent
 * @param secrets current first: the first goes into {@code X-Webhook-Secret}, each one signs
 *     (several while the backend's secret is being rotated); empty when unset
 * @param secretHeader whether the current secret is also sent as {@code X-Webhook-Secret} (the old
 *     service's check); off once the backend verifies the signatures, so a seen delivery no longer
 *     reveals the key that signs
 * @param retrySchedule delays before each retry; an event is failed when they are used up
 * @param retention how long delivered events are kept before cleanup deletes them
 */
public record WebhookSettings(
    Optional<URI> backendUrl,
    List<String> secrets,
    boolean secretHeader,
    List<Duration> retrySchedule,
    Duration retention) {

  static WebhookSettings from(Values values) {
    return new WebhookSettings(
        values.optional(Settings.BACKEND_URL),
        values.get(Settings.BACKEND_WEBHOOK_SECRET),
        values.get(Settings.WEBHOOK_SECRET_HEADER),
        values.get(Settings.WEBHOOK_RETRY_SCHEDULE),
        values.get(Settings.WEBHOOK_RETENTION));
  }
}
