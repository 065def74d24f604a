package com.arservice.http;

import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.project.ProjectMessages.Find;
import com.arservice.project.ProjectVerticle;
import com.arservice.project.ProjectView;
import com.arservice.project.StoredProject;
import com.arservice.storage.ArtifactStore;
import com.arservice.viewer.Templates;
import com.arservice.viewer.ViewerPage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /view/:id} and {@code /ar/view/:id}: the viewer of a ready project (rendered from its
 * stored page data), or a page that says why there is none yet, in English or Russian.
 */
final class ViewRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ViewRoutes.class);

  private static final Map<String, Map<String, String>> TEXT =
      Map.of(
          "en",
              Map.of(
                  "notFoundTitle",
                  "Not found",
                  "notFound",
                  "This AR experience does not exist.",
                  "goneTitle",
                  "Expired",
                  "gone",
                  "This demo has expired and was removed.",
                  "preparingTitle",
                  "Being prepared",
                  "preparing",
                  "Your AR experience is being prepared. It opens by itself when it is ready.",
                  "errorTitle",
                  "Something went wrong",
                  "error",
                  "This AR experience could not be created: ",
                  "missingTitle",
                  "Files missing",
                  "missing",
                  "The files of this AR experience are missing on the server. Please tell the shop."),
          "ru",
              Map.of(
                  "notFoundTitle",
                  "Не найдено",
                  "notFound",
                  "Такого AR-проекта нет.",
                  "goneTitle",
                  "Срок истёк",
                  "gone",
                  "Срок действия демо истёк, и оно было удалено.",
                  "preparingTitle",
                  "Готовится",
                  "preparing",
                  "Ваш AR-проект готовится. Он откроется сам, когда будет готов.",
                  "errorTitle",
                  "Что-то пошло не так",
                  "error",
                  "Не удалось создать AR-проект: ",
                  "missingTitle",
                  "Файлы не найдены",
                  "missing",
                  "Файлы этого AR-проекта пропали с сервера. Пожалуйста, сообщите магазину."));

  private final Vertx vertx;
  private final ArtifactStore artifacts;
  private final Clock clock;
  private final ViewerPage viewer;

  ViewRoutes(Vertx vertx, ArtifactStore artifacts, Clock clock, ViewerPage viewer) {
    this.vertx = vertx;
    this.artifacts = artifacts;
    this.clock = clock;
    this.viewer = viewer;
  }

  void view(RoutingContext ctx) {
    String lang = language(ctx);
    Optional<UUID> id = ProjectVerticle.parseId(ctx.pathParam("id"));
    if (id.isEmpty()) {
      page(ctx, 404, lang, "notFound", "", "gone", 0, "");
      return;
    }
    vertx
        .eventBus()
        .<StoredProject>request(Addresses.PROJECT_GET, new Find(id.get(), false))
        .onSuccess(
            m -> {
              try {
                show(ctx, lang, m.body());
              } catch (RuntimeException e) {
                ctx.fail(e);
              }
            })
        .onFailure(
            e -> {
              if (e instanceof ReplyException re
                  && re.failureCode() == ServiceException.Code.NOT_FOUND.ordinal()) {
                page(ctx, 404, lang, "notFound", "", "gone", 0, "");
              } else {
                ctx.fail(e);
              }
            });
  }

  private void show(RoutingContext ctx, String lang, StoredProject project) {
    String status = project.status();
    boolean expired =
        project.expiresAt() != null && project.expiresAt().toInstant().isBefore(clock.instant());
    if ("deleted".equals(status) || expired) {
      page(ctx, 410, lang, "gone", "", "gone", 0, "");
    } else if ("ready".equals(status)) {
      viewerHtml(project.id(), lang)
          .onSuccess(
              html -> {
                if (html.isEmpty()) {
                  LOG.warn("Project {} is ready but its viewer data is missing", project.id());
                  page(ctx, 404, lang, "missing", "", "error", 0, "");
                  return;
                }
                ctx.response()
                    .putHeader("Content-Type", "text/html; charset=utf-8")
                    .putHeader("Content-Language", lang)
                    .putHeader("Vary", "Accept-Language")
                    .putHeader("Cache-Control", "no-cache")
                    .end(html.get());
              })
          .onFailure(ctx::fail);
    } else if ("error".equals(status)) {
      page(
          ctx,
          200,
          lang,
          "error",
          Objects.requireNonNullElse(ProjectView.publicErrorMessage(project), ""),
          "error",
          0,
          "");
    } else {
      page(
          ctx,
          200,
          lang,
          "preparing",
          "",
          "preparing",
          project.progress(),
          "/status/" + project.id() + "/events");
    }
  }

  /**
   * The viewer in {@code lang} from the stored page data (projects adopted from the old service
   * have it too, beside their old page); empty when the project's files are gone.
   */
  private Future<Optional<String>> viewerHtml(UUID id, String lang) {
    return artifacts
        .read(id, ViewerPage.DATA_FILE)
        .map(data -> data.map(d -> viewer.render(lang, new JsonObject(d))));
  }

  /** {@code events}: where the page follows the project's progress live (empty: nowhere). */
  private static void page(
      RoutingContext ctx,
      int status,
      String lang,
      String key,
      String detail,
      String state,
      int progress,
      String events) {
    Map<String, String> text = TEXT.get(lang);
    String html =
        Templates.render(
            "pages/status.html",
            Map.of(
                "lang",
                lang,
                "title",
                text.get(key + "Title"),
                "message",
                text.get(key) + detail,
                "state",
                state,
                "progress",
                Integer.toString(progress),
                "refreshSeconds",
                "3",
                "events",
                events));
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(html);
  }

  /** Russian when the browser prefers it over English, else English. */
  static String language(RoutingContext ctx) {
    String header = ctx.request().getHeader("Accept-Language");
    if (header == null) {
      return "en";
    }
    for (String part : header.split(",")) {
      String tag = part.trim().toLowerCase();
      if (tag.startsWith("ru")) {
        return "ru";
      }
      if (tag.startsWith("en")) {
        return "en";
      }
    }
    return "en";
  }
}
