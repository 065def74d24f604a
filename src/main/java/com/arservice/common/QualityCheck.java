package com.arservice.common;

import java.nio.file.Path;

/**
 * A photo to judge as an AR target, sent to {@link Addresses#QUALITY_CHECK}.
 *
 * @param photo the uploaded file (JPEG, PNG, HEIC, AVIF, WebP or TIFF), read only
 */
public record QualityCheck(Path photo) {

  /**
   * The answer: the quality report as the JSON object the API returns.
   *
   * @param json the report, one JSON object
   */
  public record Report(String json) {}
}
