package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class FfmpegFeaturesTest {

  @TempDir Path dir;

  @Test
  void debiansFfmpegHasEverythingTheVideoStepUses() throws Exception {
    assertEquals(List.of(), FfmpegFeatures.missing("ffmpeg"));
  }

  @Test
  void aBuildWithoutZimgIsToldApartByItsMissingFilters() throws Exception {
    assertEquals(List.of("zscale"), FfmpegFeatures.missing(withoutZscale(dir).toString()));
  }

  /** The real ffmpeg, except that its filter list lacks zscale, as in a build without zimg. */
  public static Path withoutZscale(Path dir) throws Exception {
    Path script = dir.resolve("ffmpeg-without-zimg");
    Files.writeString(
        script,
        """
        #!/bin/sh
        if [ "$2" = "-filters" ]; then ffmpeg "$@" | grep -v ' zscale '; else exec ffmpeg "$@"; fi
        """);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }
}
