package com.arservice.storage;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * AWS Signature Version 4 for S3 requests, by the AWS SDK's signer alone (the requests themselves
 * go through Vert.x's HTTP client). The payload's SHA-256 is part of the signature, so a file
 * payload is read once here, streaming: call {@link #sign} with one off the event loop.
 */
final class S3Signer {
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final AwsCredentialsIdentity credentials;
  private final String region;

  S3Signer(String accessKeyId, String secretAccessKey, String region) {
    this.credentials = AwsCredentialsIdentity.create(accessKeyId, secretAccessKey);
    this.region = region;
  }

  /** The headers to send: {@code headers} and the signature's, for this payload (null: empty). */
  MultiMap sign(HttpMethod method, URI uri, MultiMap headers, ContentStreamProvider payload) {
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method.name())).uri(uri);
    headers.forEach(h -> request.appendHeader(h.getKey(), h.getValue()));
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(credentials)
                    .request(request.build())
                    .payload(payload)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, java.util.List<String>> h : signed.request().headers().entrySet()) {
      if (!"host".equalsIgnoreCase(h.getKey())) {
        out.add(h.getKey(), h.getValue());
      }
    }
    return out;
  }

  /**
   * {@code length} bytes of {@code file} from {@code offset}, read afresh each time it is asked.
   */
  static ContentStreamProvider fileRange(Path file, long offset, long length) {
    return () -> {
      try {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(offset);
        return new LimitedInput(Channels.newInputStream(channel), length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** At most {@code left} bytes of a stream. */
  private static final class LimitedInput extends InputStream {
    private final InputStream in;
    private long left;

    LimitedInput(InputStream in, long left) {
      this.in = in;
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
