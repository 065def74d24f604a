package com.arservice.config;

import java.net.URI;

/**
 * The media tools and the viewer's libraries.
 *
 * @param ffmpegPath the ffmpeg binary (a path, or a name looked up on PATH)
 * @param ffprobePath the ffprobe binary (a path, or a name looked up on PATH)
 * @param borderEnhancer whether photos get a seeded pattern frame so similar photos stay
 *     distinguishable
 * @param viewerCdnBase where the viewer loads A-Frame and MindAR from when the build could not
 *     bundle them
 */
public record MediaSettings(
    String ffmpegPath, String ffprobePath, boolean borderEnhancer, URI viewerCdnBase) {

  static MediaSettings from(Values values) {
    return new MediaSettings(
        values.get(Settings.FFMPEG_PATH),
        values.get(Settings.FFPROBE_PATH),
        values.get(Settings.BORDER_ENHANCER),
        values.get(Settings.VIEWER_CDN_BASE));
  }
}
