package com.arservice.mind.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.mind.MindFile;
import com.arservice.mind.MindTarget;
import com.arservice.testing.CmykJpegs;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompileCommandTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void writesTheMindFileAndPrintsOneJsonLine() throws Exception {
    Path photo = copyResource("/mind/med.png", "photo one.png");
    Path target = dir.resolve("out.mind");
    assertEquals(0, compile("-o", target.toString(), "--json", photo.toString(), photo.toString()));
    String line = out.toString(StandardCharsets.UTF_8).strip();
    assertTrue(
        line.matches(
            "\\{\"output\":\""
                + java.util.regex.Pattern.quote(target.toString())
                + "\",\"mode\":\"reference\",\"targets\":2,\"keyframes\":\\[5,5],\"points\":\\[231,231],\"compileMs\":\\d+}"),
        line);
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    List<MindTarget> targets = MindFile.read(Files.readAllBytes(target));
    assertEquals(2, targets.size());
  }

  @Test
  void printsAReadableSummaryWithoutJson() throws Exception {
    Path photo = copyResource("/mind/med.png", "a.png");
    assertEquals(0, compile("-o", dir.resolve("t.mind").toString(), photo.toString()));
    try (InputStream ref = getClass().getResourceAsStream("/mind/med.mind")) {
      assertArrayEquals(
          ref.readAllBytes(),
          Files.readAllBytes(dir.resolve("t.mind")),
          "the file MindAR's own compiler makes of this photo");
    }
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("5 keyframes, 231 points"), out.toString());
  }

  @Test
  void robustModeWritesASmallerFileTheReaderAccepts() throws Exception {
    Path photo = copyResource("/mind/med.png", "a.png");
    Path robust = dir.resolve("robust.mind");
    assertEquals(0, compile("-o", robust.toString(), "--mode", "robust", photo.toString()));
    byte[] bytes = Files.readAllBytes(robust);
    try (InputStream ref = getClass().getResourceAsStream("/mind/med.mind")) {
      int reference = ref.readAllBytes().length;
      assertTrue(bytes.length < reference * 0.6, bytes.length + " of " + reference + " bytes");
    }
    MindTarget t = MindFile.read(bytes).get(0);
    assertEquals(5, t.matchingData().size());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("mode robust"), out.toString());
  }

  @Test
  void compilesAPrintStudiosCmykJpegAsTheServiceAcceptsIt() throws Exception {
    Path png = copyResource("/mind/med.png", "a.png");
    Path cmyk =
        CmykJpegs.write(ImageIO.read(png.toFile()), CmykJpegs.Kind.YCCK, dir.resolve("print.jpg"));

    assertEquals(0, compile("-o", dir.resolve("t.mind").toString(), "--json", cmyk.toString()));

    assertEquals("", err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"keyframes\":[5]"), out.toString());
    MindTarget target = MindFile.read(Files.readAllBytes(dir.resolve("t.mind"))).get(0);
    assertEquals(ImageIO.read(png.toFile()).getWidth(), target.width());
  }

  @Test
  void exitsWithTwoOnAnUnknownMode() throws Exception {
    Path photo = copyResource("/mind/med.png", "a.png");
    assertEquals(2, compile("--mode", "fast", photo.toString()));
    assertErrorLine("--mode 'fast' is not reference or robust; " + CompileCommand.USAGE);
  }

  @Test
  void exitsWithTwoNamingAMissingFile() {
    Path missing = dir.resolve("nope.jpg");
    assertEquals(2, compile("--json", missing.toString()));
    assertErrorLine(missing + ": file not found");
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void exitsWithTwoNamingAnUnreadableImage() throws Exception {
    Path photo = copyResource("/mind/med.png", "ok.png");
    Path bad = dir.resolve("bad.png");
    Files.writeString(bad, "not a picture");
    Path target = dir.resolve("never.mind");
    assertEquals(2, compile("-o", target.toString(), photo.toString(), bad.toString()));
    assertErrorLine(
        bad
            + ": The photo is not an image in a supported format (JPEG, PNG, HEIC, AVIF, WebP or TIFF)");
    assertFalse(Files.exists(target));
  }

  @Test
  void exitsWithTwoOnBadUsage() {
    assertEquals(2, compile());
    assertEquals(2, compile("--frobnicate", "x.png"));
    assertEquals(2, compile("-o"));
    assertEquals(3, err.toString(StandardCharsets.UTF_8).lines().count());
  }

  @Test
  void benchPrintsTheMedianPerPhotoAndPeakHeap() throws Exception {
    Path photo = copyResource("/mind/med.png", "b.png");
    assertEquals(
        0,
        BenchCommand.run(new String[] {"--runs", "1", photo.toString()}, print(out), print(err)));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("260x256: median"), text);
    assertTrue(text.contains("peak heap"), text);
    assertEquals(
        2,
        BenchCommand.run(new String[] {"--runs", "0", photo.toString()}, print(out), print(err)));
  }

  private void assertErrorLine(String expectedSuffix) {
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, text.lines().count(), text);
    assertEquals("error: " + expectedSuffix, text.strip());
  }

  private int compile(String... args) {
    return CompileCommand.run(args, print(out), print(err));
  }

  private static PrintStream print(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }

  private Path copyResource(String name, String fileName) throws Exception {
    Path p = dir.resolve(fileName);
    try (InputStream in = getClass().getResourceAsStream(name)) {
      Files.copy(in, p);
    }
    return p;
  }
}
