package com.arservice.http;

import com.arservice.backup.BackupHealth;
import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.config.BackupSettings;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;

/**
 * The console's backup panel: {@code GET /admin/backup} (last base backup, last archived WAL, size,
 * next run, last verify) and {@code POST /admin/backup} (a base backup now).
 */
final class BackupRoutes {
  private static final long BACKUP_TIMEOUT_MS = Duration.ofHours(1).toMillis();

  private final Vertx vertx;
  private final BackupSettings settings;
  private final Clock clock;

  BackupRoutes(Vertx vertx, BackupSettings settings, Clock clock) {
    this.vertx = vertx;
    this.settings = settings;
    this.clock = clock;
  }

  void status(RoutingContext ctx) {
    if (settings.folder().isEmpty()) {
      ctx.json(new JsonObject().put("configured", false));
      return;
    }
    vertx
        .executeBlocking(
            () ->
                BackupHealth.check(settings.folder().get(), settings.schedule(), clock, true)
                    .put("configured", true),
            false)
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  void now(RoutingContext ctx) {
    if (settings.folder().isEmpty()) {
      throw new ServiceException(
          Code.CONFLICT, "No backup is configured: set AR_BACKUP_DIR to a folder for it");
    }
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.BACKUP_NOW,
            new JsonObject(),
            new DeliveryOptions().setSendTimeout(BACKUP_TIMEOUT_MS))
        .map(Message::body)
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }
}
