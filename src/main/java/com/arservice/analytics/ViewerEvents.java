package com.arservice.analytics;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * The body a viewer page sends, {@code {"events": [{"name": ..., fields}]}}, checked and counted.
 * Only known names with their own fields in range pass; anything else refuses the whole request.
 */
public final class ViewerEvents {
  /** Most events in one request: a viewing sends a handful per beacon. */
  public static final int MAX_EVENTS = 32;

  /** Longest time (ms) a ready or found event may report; the page stops counting before. */
  static final long MAX_MS = 3_600_000;

  /** Most seconds of video one watch event may add. */
  static final double MAX_WATCH_SECONDS = 3_600;

  private static final int MAX_TARGET = 9;
  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "open", Set.of(),
          "camera", Set.of("result", "error"),
          "ready", Set.of("ms"),
          "found", Set.of("target", "ms", "first"),
          "video", Set.of("target", "sound"),
          "watch", Set.of("seconds"),
          "lost", Set.of("target"),
          "stuck", Set.of("target"),
          "hidden", Set.of());

  private ViewerEvents() {}

  /** The counts of one request's events. */
  public static Tally parse(JsonObject body) {
    Object list = body.getValue("events");
    if (!(list instanceof JsonArray events) || events.isEmpty() || events.size() > MAX_EVENTS) {
      throw bad("events must be a list of 1 to " + MAX_EVENTS + " events");
    }
    if (body.size() != 1) {
      throw bad("only events may be sent");
    }
    Tally tally = new Tally();
    for (Object o : events) {
      if (!(o instanceof JsonObject event)) {
        throw bad("each event must be an object");
      }
      count(event, tally);
    }
    if (tally.get(Measure.OPENS) > 1) {
      throw bad("a request reports at most one opened page");
    }
    return tally;
  }

  private static void count(JsonObject event, Tally tally) {
    String name = event.getValue("name") instanceof String s ? s : "";
    Set<String> fields = FIELDS.get(name);
    if (fields == null) {
      throw bad("unknown event name");
    }
    for (String field : event.fieldNames()) {
      if (!field.equals("name") && !fields.contains(field)) {
        throw bad("unknown field " + field.substring(0, Math.min(field.length(), 40)));
      }
    }
    switch (name) {
      case "open" -> tally.add(Measure.OPENS, 1);
      case "camera" -> camera(event, tally);
      case "ready" -> {
        tally.add(Measure.AR_READY, 1);
        tally.ready(number(event, "ms", MAX_MS, true));
      }
      case "found" -> {
        number(event, "target", MAX_TARGET, false);
        tally.add(Measure.TARGETS_FOUND, 1);
        if (flag(event, "first")) {
          tally.add(Measure.VIEWS_FOUND, 1);
          tally.found(number(event, "ms", MAX_MS, true));
        }
      }
      case "video" -> {
        number(event, "target", MAX_TARGET, false);
        tally.add(flag(event, "sound") ? Measure.VIDEO_SOUND : Measure.VIDEO_MUTED, 1);
      }
      case "watch" -> {
        Object s = event.getValue("seconds");
        if (!(s instanceof Number n)
            || !(n.doubleValue() >= 0)
            || n.doubleValue() > MAX_WATCH_SECONDS) {
          throw bad("seconds must be between 0 and " + (long) MAX_WATCH_SECONDS);
        }
        tally.add(Measure.WATCH_SECONDS, Math.round(n.doubleValue()));
      }
      case "lost" -> {
        number(event, "target", MAX_TARGET, false);
        tally.add(Measure.TARGETS_LOST, 1);
      }
      case "stuck" -> {
        number(event, "target", MAX_TARGET, false);
        tally.add(Measure.VIDEO_RESTARTS, 1);
      }
      default -> tally.add(Measure.PAGES_HIDDEN, 1);
    }
  }

  private static void camera(JsonObject event, Tally tally) {
    Object result = event.getValue("result");
    Object error = event.getValue("error");
    if (error != null && !(error instanceof String e && e.length() <= 64)) {
      throw bad("error must be a short name");
    }
    if ("allowed".equals(result)) {
      tally.add(Measure.CAMERA_ALLOWED, 1);
    } else if ("denied".equals(result)) {
      tally.add(Measure.CAMERA_DENIED, 1);
    } else if ("failed".equals(result)) {
      tally.add(Measure.CAMERA_FAILED, 1);
      tally.add(Measure.cameraError(error == null ? "" : (String) error), 1);
    } else {
      throw bad("result must be allowed, denied or failed");
    }
  }

  /** A whole number in [0, max]; {@code required} false: may be absent (read as 0). */
  private static long number(JsonObject event, String field, long max, boolean required) {
    Object v = event.getValue(field);
    if (v == null && !required) {
      return 0;
    }
    if (!(v instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || n.longValue() < 0
        || n.longValue() > max) {
      throw bad(field + " must be a whole number from 0 to " + max);
    }
    return n.longValue();
  }

  private static boolean flag(JsonObject event, String field) {
    Object v = event.getValue(field);
    if (v != null && !(v instanceof Boolean)) {
      throw bad(field + " must be true or false");
    }
    return Boolean.TRUE.equals(v);
  }

  private static ServiceException bad(String why) {
    return new ServiceException(Code.BAD_REQUEST, "Not a viewer event report: " + why);
  }
}
