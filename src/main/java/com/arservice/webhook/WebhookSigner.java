package com.arservice.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, one per
 * configured secret, space-separated, so a receiver keeps verifying while its secret is rotated. A
 * secret written {@code whsec_<base64>} is used decoded, as the Standard Webhooks libraries do; any
 * other secret is used as its UTF-8 bytes.
 */
public final class WebhookSigner {
  private static final String PREFIX = "whsec_";

  private final List<String> secrets;
  private final boolean secretHeader;
  private final List<byte[]> keys = new ArrayList<>();

  /**
   * @param secrets current secret first
   * @param secretHeader whether the current secret also goes into {@code X-Webhook-Secret}
   */
  public WebhookSigner(List<String> secrets, boolean secretHeader) {
    this.secrets = List.copyOf(secrets);
    this.secretHeader = secretHeader;
    for (String s : secrets) {
      keys.add(
          s.startsWith(PREFIX)
              ? Base64.getDecoder().decode(s.substring(PREFIX.length()))
              : s.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The value of {@code X-Webhook-Secret}, the shop backend's existing check; empty without secrets
   * or with the header switched off.
   */
  public Optional<String> secretHeader() {
    return secrets.isEmpty() || !secretHeader ? Optional.empty() : Optional.of(secrets.get(0));
  }

  /** The {@code webhook-signature} header value; empty without secrets. */
  public Optional<String> signature(String id, long timestampSeconds, String body) {
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    byte[] content = (id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
    List<String> parts = new ArrayList<>();
    for (byte[] key : keys) {
      parts.add("v1," + Base64.getEncoder().encodeToString(hmac(key, content)));
    }
    return Optional.of(String.join(" ", parts));
  }

  private static byte[] hmac(byte[] key, byte[] content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
