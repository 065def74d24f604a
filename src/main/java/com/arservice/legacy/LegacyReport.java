package com.arservice.legacy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an adoption or import found and did, for the operator: counts by what happens to the rows,
 * then notes naming what could not be mapped (and stays in the old tables).
 *
 * @param applied false for a dry run, which changed nothing
 */
public record LegacyReport(
    String title, boolean applied, Map<String, Long> counts, List<String> notes) {

  public LegacyReport {
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    notes = List.copyOf(notes);
  }

  /** The count under {@code key}, 0 when there is none. */
  public long count(String key) {
    return counts.getOrDefault(key, 0L);
  }

  /** The report as lines of text. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(title + (applied ? "" : " (dry run: nothing was changed)"));
    counts.forEach((k, v) -> out.add(String.format("  %-72s %8d", k, v)));
    notes.forEach(n -> out.add("  - " + n));
    return out;
  }
}
