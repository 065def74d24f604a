package com.arservice.http;

import com.arservice.common.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/webhooks} and {@code POST /admin/webhooks/:id/redeliver} (behind the API
 * token).
 */
final class WebhookRoutes {
  private final Vertx vertx;

  WebhookRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void list(RoutingContext ctx) {
    JsonObject query =
        new JsonObject()
            .put("projectId", ctx.queryParams().get("projectId"))
            .put("state", ctx.queryParams().get("state"));
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.WEBHOOK_LIST, query)
        .onSuccess(m -> ctx.json(m.body()))
        .onFailure(ctx::fail);
  }

  void redeliver(RoutingContext ctx) {
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.WEBHOOK_REDELIVER, new JsonObject().put("id", ctx.pathParam("id")))
        .map(Message::body)
        .onSuccess(event -> ProjectRoutes.accepted(ctx, event))
        .onFailure(ctx::fail);
  }
}
