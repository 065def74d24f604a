package com.arservice.project;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
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
 * fields first: in full for holders of the API token, otherwise in a public form that names
 * nothing identifying the customer (anyone with the printed QR code knows the project id).
 */
public final class ProjectView {
  private static final String REDACTED = "[redacted]";
  private static final String[] UPLOAD_FIELDS = {"photoUrl", "videoUrl", "maskUrl"};

  private ProjectView() {
  }

  /** The status in full: customer ids and the upload URLs the shop sent. */
  public static JsonObject status(JsonObject p) {
    JsonArray targets = new JsonArray();
    for (Object o : p.getJsonArray("targets", new JsonArray())) {
      JsonObject t = (JsonObject) o;
      targets.add(new JsonObject()
          .put("index", t.getInteger("itemIndex"))
          .put("photoUrl", t.getString("photoUrl"))
          .put("videoUrl", t.getString("videoUrl"))
          .put("maskUrl", t.getString("maskUrl"))
          .put("photoWidth", t.getInteger("photoWidth"))
          .put("photoHeight", t.getInteger("photoHeight"))
          .put("videoWidth", t.getInteger("videoWidth"))
          .put("videoHeight", t.getInteger("videoHeight"))
          .put("videoDurationMs", t.getInteger("videoDurationMs"))
          .put("keyframes", t.getInteger("keyframes"))
          .put("points", t.getInteger("points"))
          .put("artifacts", t.getJsonObject("artifacts")));
    }
    return new JsonObject()
        .put("projectId", p.getString("id"))
        .put("status", p.getString("status"))
        .put("progress", p.getInteger("progress"))
        .put("currentStep", p.getString("currentStep"))
        .put("viewUrl", p.getString("viewUrl"))
        .put("qrCodeUrl", p.getString("qrCodeUrl"))
        .put("markerMindUrl", p.getString("markerMindUrl"))
        .put("photoUrl", p.getString("photoUrl"))
        .put("videoUrl", p.getString("videoUrl"))
        .put("viewerHtmlUrl", p.getString("viewerHtmlUrl"))
        .put("compilationTimeMs", p.getInteger("compilationTimeMs"))
        .put("errorMessage", p.getString("errorMessage"))
        .put("createdAt", p.getString("createdAt"))
        .put("updatedAt", p.getString("updatedAt"))
        .put("isDemo", p.getBoolean("isDemo"))
        .put("expiresAt", p.getString("expiresAt"))
        .put("userId", p.getString("userId"))
        .put("orderId", p.getString("orderId"))
        .put("shapeType", p.getString("shapeType"))
        .put("retryCount", p.getInteger("retryCount"))
        .put("markersCount", targets.size())
        .put("targets", targets);
  }

  /**
   * The status without {@code userId} and {@code orderId}; the upload URLs (named by the shop,
   * perhaps after the customer) become the URLs of the published copies, null until ready; those
   * values are also blanked wherever they appear in the error message.
   */
  public static JsonObject publicStatus(JsonObject p) {
    JsonObject out = status(p);
    out.remove("userId");
    out.remove("orderId");
    for (Object o : out.getJsonArray("targets")) {
      JsonObject target = (JsonObject) o;
      // Published copies exist only once the project is ready.
      JsonObject artifacts = Objects.requireNonNullElseGet(target.getJsonObject("artifacts"), JsonObject::new);
      target.put("photoUrl", artifacts.getString("photo")).put("videoUrl", artifacts.getString("video"))
          .put("maskUrl", artifacts.getString("mask"));
    }
    JsonArray targets = out.getJsonArray("targets");
    JsonObject first = targets.isEmpty() ? new JsonObject() : targets.getJsonObject(0);
    out.put("photoUrl", first.getString("photoUrl")).put("videoUrl", first.getString("videoUrl"));
    return out.put("errorMessage", scrub(identifying(p), out.getString("errorMessage")));
  }

  /** The step log with every value identifying the customer blanked in its details and errors. */
  public static JsonArray publicLogs(JsonObject p, JsonArray logs) {
    Pattern identifying = identifying(p);
    JsonArray out = new JsonArray();
    for (Object o : logs) {
      JsonObject entry = ((JsonObject) o).copy();
      JsonObject details = entry.getJsonObject("details");
      out.add(entry.put("details", details == null ? null : (JsonObject) scrubValue(identifying, details))
          .put("error", scrub(identifying, entry.getString("error"))));
    }
    return out;
  }

  /**
   * The customer's ids, every upload URL of the project and their file names, matched as whole
   * words (not inside a longer name or number), longest first.
   */
  private static Pattern identifying(JsonObject p) {
    Set<String> values = new LinkedHashSet<>();
    values.add(p.getString("userId"));
    values.add(p.getString("orderId"));
    List<JsonObject> holders = new ArrayList<>(List.of(p));
    p.getJsonArray("targets", new JsonArray()).forEach(t -> holders.add((JsonObject) t));
    for (JsonObject holder : holders) {
      for (String field : UPLOAD_FIELDS) {
        String url = holder.getString(field);
        if (url != null) {
          values.add(url);
          values.add(url.substring(url.lastIndexOf('/') + 1));
        }
      }
    }
    List<String> words = values.stream().filter(v -> v != null && !v.isBlank())
        .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote).toList();
    return words.isEmpty() ? null
        : Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + String.join("|", words) + ")(?![\\p{L}\\p{N}])");
  }

  private static String scrub(Pattern identifying, String text) {
    return identifying == null || text == null ? text
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
