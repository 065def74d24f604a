package com.arservice.analytics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Stored rows as the stats JSON: totals, then the same figures by day and by device family. */
final class StatsReport {
  /** One stored row, or a sum of rows. */
  record Row(LocalDate day, String device, Tally tally) {}

  private StatsReport() {}

  static JsonObject of(LocalDate from, LocalDate to, List<Row> rows) {
    Tally total = new Tally();
    Map<LocalDate, Tally> days = new TreeMap<>();
    Map<String, Tally> devices = new TreeMap<>();
    for (Row r : rows) {
      total.add(r.tally());
      days.computeIfAbsent(r.day(), d -> new Tally()).add(r.tally());
      devices.computeIfAbsent(r.device(), d -> new Tally()).add(r.tally());
    }
    JsonArray byDay = new JsonArray();
    days.forEach((day, t) -> byDay.add(figures(t).put("day", day.toString())));
    JsonArray byDevice = new JsonArray();
    devices.forEach((device, t) -> byDevice.add(figures(t).put("device", device)));
    return new JsonObject()
        .put("from", from.toString())
        .put("to", to.toString())
        .put("totals", figures(total))
        .put("days", byDay)
        .put("devices", byDevice);
  }

  /** The figures of some viewings: every count, the found rate and the time quantiles. */
  static JsonObject figures(Tally t) {
    JsonObject out = new JsonObject();
    JsonObject errors = new JsonObject();
    for (Measure m : Measure.values()) {
      if (!m.cameraError()) {
        out.put(m.key, t.get(m));
      } else if (t.get(m) > 0) {
        errors.put(m.key, t.get(m));
      }
    }
    long ready = t.get(Measure.AR_READY);
    return out.put("cameraErrors", errors)
        .put("videoStarts", t.get(Measure.VIDEO_MUTED) + t.get(Measure.VIDEO_SOUND))
        .put(
            "foundRate",
            ready == 0 ? null : Math.min(1.0, (double) t.get(Measure.VIEWS_FOUND) / ready))
        .put("timeToFoundMs", quantiles(t.foundQuantile(0.5), t.foundQuantile(0.9)))
        .put("timeToReadyMs", quantiles(t.readyQuantile(0.5), t.readyQuantile(0.9)));
  }

  private static JsonObject quantiles(long median, long p90) {
    return new JsonObject()
        .put("median", median < 0 ? null : median)
        .put("p90", p90 < 0 ? null : p90);
  }
}
