package com.arservice.config;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The media tools and the viewer's libraries.
 *
 * @param ffmpegPath the ffmpeg binary (a path, or a name looked up on PATH)
 * @param ffprobePath the ffprobe binary (a path, or a name looked up on PATH)
 * @param heifConvertPath libheif's HEIC/AVIF decoder (a path, or a name looked up on PATH)
 * @param borderEnhancer whether photos get a seeded pattern frame so similar photos stay
 *     distinguishable
 * @param markerMode how targets are compiled unless a recompile asks otherwise: {@code reference}
 *     or {@code robust}
 * @param viewerCdnBase where the viewer loads three.js and MindAR from when the build could not
 *     bundle them
 * @param toolSearchPath the folders of the process's {@code PATH}, where a tool given by name is
 *     found
 */
public record MediaSettings(
    String ffmpegPath,
    String ffprobePath,
    String heifConvertPath,
    boolean borderEnhancer,
    String markerMode,
    URI viewerCdnBase,
    List<Path> toolSearchPath) {

  static MediaSettings from(Values values) {
    return new MediaSettings(
        values.get(Settings.FFMPEG_PATH),
        values.get(Settings.FFPROBE_PATH),
        values.get(Settings.HEIF_CONVERT_PATH),
        values.get(Settings.BORDER_ENHANCER),
        values.get(Settings.MARKER_MODE),
        values.get(Settings.VIEWER_CDN_BASE),
        searchPath(System.getenv("PATH")));
  }

  private static List<Path> searchPath(String path) {
    return path == null
        ? List.of()
        : Arrays.stream(path.split(File.pathSeparator))
            .filter(d -> !d.isEmpty())
            .map(Path::of)
            .toList();
  }
}
