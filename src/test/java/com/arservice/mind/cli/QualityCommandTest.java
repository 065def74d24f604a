package com.arservice.mind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityCommandTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void printsOneJsonLinePerImageAndWritesTheHeatmaps() throws Exception {
    Path photo = dir.resolve("photo.png");
    try (InputStream in = getClass().getResourceAsStream("/mind/med.png")) {
      Files.copy(in, photo);
    }
    Path maps = dir.resolve("maps");
    assertEquals(0, quality("--json", "--heatmap", maps.toString(), photo.toString()));
    String line = out.toString(StandardCharsets.UTF_8).strip();
    assertTrue(
        line.matches(
            "\\{\"image\":\""
                + java.util.regex.Pattern.quote(photo.toString())
                + "\",\"score\":\\d+,\"stars\":\\d,\"views\":48,\"detectionRate\":\\{.*},"
                + "\"breakdown\":\\{.*},\"advice\":\\[.*]}"),
        line);
    assertTrue(Files.size(maps.resolve("photo.png.quality.png")) > 0);
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void exitsWithTwoAndOneLineForAMissingFile() {
    Path missing = dir.resolve("nope.jpg");
    assertEquals(2, quality(missing.toString()));
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.contains(missing + ": file not found"), message);
  }

  @Test
  void simulatesAsManyViewsAsAskedAndRefusesTooFew() throws Exception {
    Path photo = dir.resolve("photo.png");
    try (InputStream in = getClass().getResourceAsStream("/mind/med.png")) {
      Files.copy(in, photo);
    }
    assertEquals(0, quality("--json", "--views", "16", photo.toString()));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"views\":16,"), out.toString());
    assertEquals(2, quality("--views", "3", photo.toString()));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("--views needs a number of at least 8"));
  }

  @Test
  void exitsWithTwoOnAnUnknownOption() {
    assertEquals(2, quality("--nope", "a.jpg"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --nope"));
  }

  private int quality(String... args) {
    return QualityCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
