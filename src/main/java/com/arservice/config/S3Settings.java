package com.arservice.config;

import java.net.URI;
import java.util.Optional;

/**
 * An S3-compatible bucket that holds the artifacts, the uploads and the {@code .mind} cache instead
 * of the local folders.
 *
 * @param endpoint the server, e.g. {@code https://s3.eu-central-1.amazonaws.com} or a MinIO URL
 * @param pathStyle {@code true}: requests go to {@code <endpoint>/<bucket>/<key>} (servers without
 *     virtual-host buckets); {@code false}: to {@code <bucket>.<endpoint host>/<key>}
 * @param prefix the keys' common start, empty or ending in {@code /}
 * @param publicUrl where browsers read the bucket directly (a bucket website or CDN), if anywhere
 */
public record S3Settings(
    URI endpoint,
    String bucket,
    String region,
    String accessKeyId,
    String secretAccessKey,
    String prefix,
    boolean pathStyle,
    Optional<URI> publicUrl) {

  /** The bucket when {@code AR_S3_ENDPOINT} is set; the settings that then must be set are. */
  static Optional<S3Settings> from(Values values) {
    Optional<URI> endpoint = values.optional(Settings.S3_ENDPOINT);
    if (endpoint.isEmpty()) {
      for (Setting<?> s :
          new Setting<?>[] {
            Settings.S3_BUCKET,
            Settings.S3_ACCESS_KEY_ID,
            Settings.S3_SECRET_ACCESS_KEY,
            Settings.S3_PUBLIC_URL
          }) {
        if (values.get(s) != null) {
          throw new ConfigException(
              s.key(), "is set but " + ConfigKeys.S3_ENDPOINT + " is not: set both, or neither");
        }
      }
      return Optional.empty();
    }
    return Optional.of(
        new S3Settings(
            endpoint.get(),
            required(values, Settings.S3_BUCKET),
            values.get(Settings.S3_REGION),
            required(values, Settings.S3_ACCESS_KEY_ID),
            required(values, Settings.S3_SECRET_ACCESS_KEY),
            values.get(Settings.S3_PREFIX),
            values.get(Settings.S3_PATH_STYLE),
            values.optional(Settings.S3_PUBLIC_URL)));
  }

  private static String required(Values values, Setting<String> setting) {
    return values
        .optional(setting)
        .orElseThrow(
            () ->
                new ConfigException(
                    setting.key(), "must be set when " + ConfigKeys.S3_ENDPOINT + " is set"));
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "S3Settings[" + endpoint + ", bucket " + bucket + ", prefix '" + prefix + "']";
  }
}
