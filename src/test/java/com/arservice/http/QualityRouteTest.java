package com.arservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.AppConfig;
import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.db.PgPool;
import com.arservice.media.PhotoNormalizer;
import com.arservice.pipeline.QualityVerticle;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.TestConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith({VertxExtension.class, PostgresExtension.class})
class QualityRouteTest {

  @Test
  void answersTheReportForAnUploadedPhotoAndForAnUploadUrl(
      Vertx vertx, DatabaseUrl db, @TempDir Path dir) throws Exception {
    AppConfig config = TestConfig.create(dir);
    HttpVerticle http = deploy(vertx, db, config);
    Path uploads = config.storage().uploads();
    Files.createDirectories(uploads);
    Path photo = uploads.resolve("photo.png");
    try (InputStream in = getClass().getResourceAsStream("/mind/med.png")) {
      Files.copy(in, photo);
    }
    WebClient client = WebClient.create(vertx);
    HttpResponse<Buffer> multipart =
        client
            .post(http.actualPort(), "localhost", "/quality")
            .sendMultipartForm(
                MultipartForm.create()
                    .binaryFileUpload("file", "p.png", photo.toString(), "image/png"))
            .await();
    assertEquals(200, multipart.statusCode(), multipart.bodyAsString());
    JsonObject report = multipart.bodyAsJsonObject();
    assertTrue(report.getInteger("score") >= 0 && report.getInteger("score") <= 100);
    assertEquals(48, report.getInteger("views"));
    assertTrue(report.getJsonObject("breakdown").getJsonArray("keyframes").size() > 0);

    HttpResponse<Buffer> byUrl =
        client
            .post(http.actualPort(), "localhost", "/quality")
            .sendJsonObject(new JsonObject().put("photoUrl", "/objects/uploads/photo.png"))
            .await();
    assertEquals(200, byUrl.statusCode(), byUrl.bodyAsString());
    assertEquals(report, byUrl.bodyAsJsonObject(), "the same photo, the same report");
  }

  @Test
  void refusesAFileThatIsNotAPhotoAndAUrlOutsideTheUploads(
      Vertx vertx, DatabaseUrl db, @TempDir Path dir) throws Exception {
    AppConfig config = TestConfig.create(dir);
    HttpVerticle http = deploy(vertx, db, config);
    Path text = dir.resolve("note.txt");
    Files.writeString(text, "not a photo");
    WebClient client = WebClient.create(vertx);
    HttpResponse<Buffer> notAPhoto =
        client
            .post(http.actualPort(), "localhost", "/quality")
            .sendMultipartForm(
                MultipartForm.create()
                    .binaryFileUpload("file", "n.txt", text.toString(), "text/plain"))
            .await();
    assertEquals(400, notAPhoto.statusCode(), notAPhoto.bodyAsString());
    HttpResponse<Buffer> outside =
        client
            .post(http.actualPort(), "localhost", "/quality")
            .sendJsonObject(new JsonObject().put("photoUrl", "/objects/uploads/../etc/passwd"))
            .await();
    assertEquals(400, outside.statusCode(), outside.bodyAsString());
    HttpResponse<Buffer> notJson =
        client
            .post(http.actualPort(), "localhost", "/quality")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{photoUrl"))
            .await();
    assertEquals(400, notJson.statusCode(), notJson.bodyAsString());
  }

  @Test
  void needsTheTokenWhenOneIsSet(Vertx vertx, DatabaseUrl db, @TempDir Path dir) {
    AppConfig config = TestConfig.create(dir, Map.of(ConfigKeys.API_TOKEN, "secret-token-1234"));
    HttpVerticle http = deploy(vertx, db, config);
    HttpResponse<Buffer> r =
        WebClient.create(vertx)
            .post(http.actualPort(), "localhost", "/quality")
            .sendJsonObject(new JsonObject().put("photoUrl", "/objects/uploads/x.png"))
            .await();
    assertEquals(401, r.statusCode());
  }

  private static HttpVerticle deploy(Vertx vertx, DatabaseUrl db, AppConfig config) {
    vertx
        .deployVerticle(
            new QualityVerticle(new PhotoNormalizer()),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .await();
    HttpVerticle http = TestHttp.verticle(vertx, PgPool.create(vertx, db, 1), config);
    vertx.deployVerticle(http).await();
    return http;
  }
}
