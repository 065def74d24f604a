package com.arservice.project;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A validated {@code POST /compile} body, in the old service's fields. Validation is pure (no file
 * system); {@link UploadPaths} checks that the files exist.
 */
public record CompileRequest(
    String userId,
    String orderId,
    boolean isDemo,
    String shapeType,
    List<String> photoUrls,
    List<String> videoUrls,
    List<String> maskUrls,
    JsonObject config) {
  public static final int MAX_PHOTOS = 10;
  public static final Set<String> SHAPES = Set.of("circle", "oval", "square", "rect", "custom");
  public static final Set<String> FIT_MODES = Set.of("contain", "cover", "fill", "exact");

  /** Parses and validates; failures are 400s whose message names the field. */
  public static CompileRequest parse(JsonObject body) {
    if (body == null) {
      throw bad("body must be a JSON object");
    }
    String userId = string(body, "userId");
    if (userId == null || userId.isBlank()) {
      throw bad("userId is required");
    }
    List<String> photos = urls(body, "photoUrl", "photoUrls");
    if (photos.isEmpty()) {
      throw bad("photoUrl or photoUrls is required (1 to " + MAX_PHOTOS + " photos)");
    }
    if (photos.size() > MAX_PHOTOS) {
      throw bad("photoUrls: at most " + MAX_PHOTOS + " photos per project, got " + photos.size());
    }
    List<String> videos = urls(body, "videoUrl", "videoUrls");
    if (!videos.isEmpty() && videos.size() != photos.size()) {
      throw bad(
          "videoUrls: one video per photo is needed ("
              + photos.size()
              + " photos, "
              + videos.size()
              + " videos)");
    }
    List<String> masks = urls(body, "maskUrl", "maskUrls");
    if (!masks.isEmpty() && masks.size() != photos.size()) {
      throw bad(
          "maskUrls: one mask per photo is needed ("
              + photos.size()
              + " photos, "
              + masks.size()
              + " masks)");
    }
    String shape = string(body, "shapeType");
    if (shape != null && !SHAPES.contains(shape)) {
      throw bad("shapeType must be one of circle, oval, square, rect, custom");
    }
    if ("custom".equals(shape) && masks.isEmpty()) {
      throw bad("maskUrl: shapeType custom needs a mask");
    }
    Object demo = body.getValue("isDemo");
    if (demo != null && !(demo instanceof Boolean)) {
      throw bad("isDemo must be true or false");
    }
    Object order = body.getValue("orderId");
    if (order != null && !(order instanceof String) && !(order instanceof Number)) {
      throw bad("orderId must be a string or a number");
    }
    return new CompileRequest(
        userId,
        order == null ? null : order.toString(),
        Boolean.TRUE.equals(demo),
        shape,
        photos,
        videos,
        masks,
        config(body));
  }

  private static JsonObject config(JsonObject body) {
    Object raw = body.getValue("config");
    if (raw == null) {
      return new JsonObject();
    }
    if (!(raw instanceof JsonObject c)) {
      throw bad("config must be an object");
    }
    String fit = c.getValue("fitMode") == null ? null : String.valueOf(c.getValue("fitMode"));
    if (fit != null && !FIT_MODES.contains(fit)) {
      throw bad("config.fitMode must be one of contain, cover, fill, exact");
    }
    range(c, "zoom", 0.5, 2.0);
    range(c, "offsetX", -0.5, 0.5);
    range(c, "offsetY", -0.5, 0.5);
    for (String flag : List.of("aspectLocked", "autoPlay", "loop")) {
      if (c.getValue(flag) != null && !(c.getValue(flag) instanceof Boolean)) {
        throw bad("config." + flag + " must be true or false");
      }
    }
    vector(c, "videoPosition", List.of("x", "y", "z"), -10, 10);
    vector(c, "videoRotation", List.of("x", "y", "z"), -360, 360);
    vector(c, "videoScale", List.of("width", "height"), 0.01, 10);
    return c.copy();
  }

  private static void range(JsonObject c, String key, double min, double max) {
    Object v = c.getValue(key);
    if (v == null) {
      return;
    }
    if (!(v instanceof Number n)
        || n.doubleValue() < min
        || n.doubleValue() > max
        || Double.isNaN(n.doubleValue())) {
      throw bad("config." + key + " must be a number from " + min + " to " + max);
    }
  }

  private static void vector(JsonObject c, String key, List<String> parts, double min, double max) {
    Object v = c.getValue(key);
    if (v == null) {
      return;
    }
    if (!(v instanceof JsonObject o)) {
      throw bad("config." + key + " must be an object with " + String.join(", ", parts));
    }
    for (String p : parts) {
      Object x = o.getValue(p);
      if (x != null
          && (!(x instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max)) {
        throw bad("config." + key + "." + p + " must be a number from " + min + " to " + max);
      }
    }
  }

  private static List<String> urls(JsonObject body, String single, String plural) {
    Object many = body.getValue(plural);
    Object one = body.getValue(single);
    if (many != null) {
      if (!(many instanceof JsonArray arr)) {
        throw bad(plural + " must be an array of URLs");
      }
      List<String> out = new ArrayList<>();
      for (Object o : arr) {
        if (!(o instanceof String s) || s.isBlank()) {
          throw bad(plural + " must contain only URL strings");
        }
        out.add(s);
      }
      return out;
    }
    if (one != null) {
      if (!(one instanceof String s) || s.isBlank()) {
        throw bad(single + " must be a URL string");
      }
      return List.of(s);
    }
    return Collections.emptyList();
  }

  private static String string(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw bad(key + " must be a string");
    }
    return s;
  }

  private static ServiceException bad(String message) {
    return new ServiceException(Code.BAD_REQUEST, message);
  }
}
