package com.arservice.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The public form of status and logs blanks the customer's ids and upload names wherever they
 * appear.
 */
class ProjectViewTest {
  private static final String ID = "6f1c2b3a-0000-4000-8000-000000000001";

  private static StoredProject failedProject() {
    String photo = "/objects/uploads/anna-smith.jpg";
    String video = "/objects/uploads/anna-smith.mp4";
    return new StoredProject(
        UUID.fromString(ID),
        "42",
        "A-7",
        false,
        "error",
        0,
        "failed",
        null,
        new JsonObject(),
        photo,
        video,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "The photo file anna-smith.jpg no longer exists (user 42, order A-7, 1042 px)",
        0,
        OffsetDateTime.now(),
        OffsetDateTime.now(),
        null,
        List.of(
            new StoredProject.Item(
                0,
                photo,
                video,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new JsonObject(),
                null)));
  }

  @Test
  void thePublicStatusBlanksIdsAndUploadNamesInItsErrorAndHasNoUploadUrlsBeforeItIsReady() {
    JsonObject status = ProjectView.publicStatus(failedProject());
    assertFalse(status.containsKey("userId") || status.containsKey("orderId"), status.encode());
    assertEquals(
        "The photo file [redacted] no longer exists (user [redacted], order [redacted], 1042 px)",
        status.getString("errorMessage"),
        "whole words only: 1042 stays");
    assertNull(status.getString("photoUrl"));
    assertNull(status.getString("videoUrl"));
    assertNull(status.getJsonArray("targets").getJsonObject(0).getString("photoUrl"));
    assertFalse(status.encode().contains("anna-smith"), status.encode());
  }

  @Test
  void thePublicLogBlanksThemInErrorsAndInNestedDetailsAndKeepsEverythingElse() {
    JsonArray logs =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("step", "validate")
                    .put("status", "failed")
                    .put("error", "The video file anna-smith.mp4 no longer exists"))
            .add(
                new JsonObject()
                    .put("step", "photo")
                    .put("status", "completed")
                    .put("durationMs", 12)
                    .put(
                        "details",
                        new JsonObject()
                            .put(
                                "photos",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("file", "/objects/uploads/anna-smith.jpg")
                                            .put("owner", "42")
                                            .put("width", 42)))));
    JsonArray out = ProjectView.publicLogs(failedProject(), logs);
    assertEquals(
        "The video file [redacted] no longer exists", out.getJsonObject(0).getString("error"));
    assertEquals(
        new JsonObject().put("file", "[redacted]").put("owner", "[redacted]").put("width", 42),
        out.getJsonObject(1).getJsonObject("details").getJsonArray("photos").getJsonObject(0));
    assertEquals(12, out.getJsonObject(1).getInteger("durationMs"));
    assertEquals(
        "The video file anna-smith.mp4 no longer exists",
        logs.getJsonObject(0).getString("error"),
        "the log it was given is not changed");
  }
}
