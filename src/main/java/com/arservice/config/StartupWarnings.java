package com.arservice.config;

import java.util.ArrayList;
import java.util.List;

/** What a configuration leaves open to an attacker, said once at start-up, one line each. */
public final class StartupWarnings {
  /** Shorter API tokens are warned about. */
  static final int MIN_TOKEN_LENGTH = 32;

  private StartupWarnings() {}

  /**
   * @param port the port the HTTP server actually bound
   */
  public static List<String> of(AppConfig config, int port) {
    List<String> out = new ArrayList<>();
    HttpSettings http = config.http();
    if (config.role().servesApi() && http.apiToken().isEmpty() && !http.loopbackOnly()) {
      out.add(
          ConfigKeys.API_TOKEN
              + " is not set and the service listens on "
              + http.bindAddress()
              + ", not only on loopback: anyone who reaches port "
              + port
              + " may compile, upload and use /admin. Set "
              + ConfigKeys.API_TOKEN
              + ", or "
              + ConfigKeys.BIND_ADDRESS
              + "=127.0.0.1 behind a proxy on this machine");
    }
    if (config.role().servesApi()
        && http.apiToken().filter(t -> t.length() < MIN_TOKEN_LENGTH).isPresent()) {
      out.add(
          ConfigKeys.API_TOKEN
              + " has fewer than "
              + MIN_TOKEN_LENGTH
              + " characters and may be guessed; use a long random one, e.g. `openssl rand -hex 32`");
    }
    WebhookSettings hooks = config.webhooks();
    if (hooks.backendUrl().isPresent() && hooks.secrets().isEmpty()) {
      out.add(
          ConfigKeys.BACKEND_URL
              + " is set without "
              + ConfigKeys.BACKEND_WEBHOOK_SECRET
              + ": webhooks go out unsigned, so the backend cannot tell them from forged ones");
    }
    return out;
  }
}
