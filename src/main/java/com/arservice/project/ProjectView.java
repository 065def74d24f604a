package com.arservice.project;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stored project in the API's shape ({@code GET /status/:id} and its logs), the old service's
 * fields first: in full for holders of the API token, otherwise in a public form that names nothing
 * identifying the customer (anyone with the printed QR code knows the project id).
 */
public final class ProjectView {
  private static final String REDACTED = "[redacted]";

  private ProjectView() {}

  /** The status in full: customer ids and the upload URLs the shop sent. */
  public static JsonObject status(StoredProject p) {
    JsonArray targets = new JsonArray();
    for (StoredProject.Item t : p.targets()) {
      targets.add(
          new JsonObject()
              .put("index", t.index())
              .put("photoUrl", t.photoUrl())
              .put("videoUrl", t.videoUrl())
              .put("maskUrl", t.maskUrl())
              .put("photoWidth", t.photoWidth())
              .put("photoHeight", t.photoHeight())
              .put("videoWidth", t.videoWidth())
              .put("videoHeight", t.videoHeight())
              .put("videoDurationMs", t.videoDurationMs())
              .put("keyframes", t.keyframes())
              .put("points", t.points())
              .put("artifacts", t.artifacts())
              .put("quality", t.quality()));
    }
    return new JsonObject()
        .put("projectId", p.id().toString())
        .put("status", p.status())
        .put("progress", p.progress())
        .put("currentStep", p.currentStep())
        .put("viewUrl", p.viewUrl())
        .put("qrCodeUrl", p.qrCodeUrl())
        .put("markerMindUrl", p.markerMindUrl())
        .put("photoUrl", p.photoUrl())
        .put("videoUrl", p.videoUrl())
        .put("viewerHtmlUrl", p.viewerHtmlUrl())
        .put("markerMode", p.markerMode())
        .put("compilationTimeMs", p.compilationTimeMs())
        .put("errorMessage", p.errorMessage())
        .put("createdAt", text(p.createdAt()))
        .put("updatedAt", text(p.updatedAt()))
        .put("isDemo", p.isDemo())
        .put("expiresAt", text(p.expiresAt()))
        .put("userId", p.userId())
        .put("orderId", p.orderId())
        .put("shapeType", p.shapeType())
        .put("retryCount", p.retryCount())
        .put("markersCount", targets.size())
        .put("targets", targets);
  }

  /** A stored time as the old service showed it (which leaves out zero seconds: "10:00Z"). */
  private static String text(OffsetDateTime time) {
    return time == null ? null : time.toString();
  }

  /**
   * The status without {@code userId} and {@code orderId}; the upload URLs (named by the shop,
   * perhaps after the customer) become the URLs of the published copies, null until ready; those
   * values are also blanked wherever they appear in the error message.
   */
  public static JsonObject publicStatus(StoredProject p) {
    JsonObject out = status(p);
    out.remove("userId");
    out.remove("orderId");
    for (Object o : out.getJsonArray("targets")) {
      JsonObject target = (JsonObject) o;
      // Published copies exist only once the project is ready.
      JsonObject artifacts =
          Objects.requireNonNullElseGet(target.getJsonObject("artifacts"), JsonObject::new);
      target
          .put("photoUrl", artifacts.getString("photo"))
          .put("videoUrl", artifacts.getString("video"))
          .put("maskUrl", artifacts.getString("mask"));
    }
    JsonArray targets = out.getJsonArray("targets");
    JsonObject first = targets.isEmpty() ? new JsonObject() : targets.getJsonObject(0);
    out.put("photoUrl", first.getString("photoUrl")).put("videoUrl", first.getString("videoUrl"));
    return out.put("errorMessage", publicErrorMessage(p));
  }

  /**
   * The error message as every public surface shows it (status, event stream, viewer page), with
   * the values identifying the customer blanked.
   */
  public static String publicErrorMessage(StoredProject p) {
    return scrub(identifying(p), p.errorMessage());
  }

  /** The step log with every value identifying the customer blanked in its details and errors. */
  public static JsonArray publicLogs(StoredProject p, JsonArray logs) {
    Pattern identifying = identifying(p);
    JsonArray out = new JsonArray();
    for (Object o : logs) {
      JsonObject entry = ((JsonObject) o).copy();
      JsonObject details = entry.getJsonObject("details");
      out.add(
          entry
              .put(
                  "details", details == null ? null : (JsonObject) scrubValue(identifying, details))
              .put("error", scrub(identifying, entry.getString("error"))));
    }
    return out;
  }

  /**
   * The customer's ids, every upload URL of the project and their file names, matched as whole
   * words (not inside a longer name or number), longest first.
   */
  private static Pattern identifying(StoredProject p) {
    Set<String> values = new LinkedHashSet<>();
    values.add(p.userId());
    values.add(p.orderId());
    List<String> urls = new ArrayList<>(Arrays.asList(p.photoUrl(), p.videoUrl(), p.maskUrl()));
    p.targets().forEach(t -> urls.addAll(Arrays.asList(t.photoUrl(), t.videoUrl(), t.maskUrl())));
    for (String url : urls) {
      if (url != null) {
        values.add(url);
        values.add(url.substring(url.lastIndexOf('/') + 1));
      }
    }
    List<String> words =
        values.stream()
            .filter(v -> v != null && !v.isBlank())
            .sorted(Comparator.comparingInt(String::length).reversed())
            .map(Pattern::quote)
            .toList();
    return words.isEmpty()
        ? null
        : Pattern.compile(
            "(?<![\\p{L}\\p{N}])(?:" + String.join("|", words) + ")(?![\\p{L}\\p{N}])");
  }

  private static String scrub(Pattern identifying, String text) {
    return identifying == null || text == null
        ? text
        : identifying.matcher(text).replaceAll(Matcher.quoteReplacement(REDACTED));
  }

  /** Strings anywhere in a JSON value scrubbed; numbers and booleans name no one. */
  private static Object scrubValue(Pattern identifying, Object value) {
    if (value instanceof String s) {
      return scrub(identifying, s);
    }
    if (value instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      for (Map.Entry<String, Object> e : o) {
        out.put(e.getKey(), scrubValue(identifying, e.getValue()));
      }
      return out;
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(scrubValue(identifying, v)));
      return out;
    }
    return value;
  }
}
