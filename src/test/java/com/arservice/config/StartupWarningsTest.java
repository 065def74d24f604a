package com.arservice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupWarningsTest {
  private static final String SECRET_LIKE = "0123456789abcdef0123456789abcdef";

  @Test
  void aBackendWithoutASecretIsWarnedAboutAsUnsignedWebhooks() {
    List<String> warnings =
        StartupWarnings.of(
            config(
                Map.of(
                    ConfigKeys.BACKEND_URL,
                    "http://backend:5002",
                    ConfigKeys.API_TOKEN,
                    SECRET_LIKE)),
            5000);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("BACKEND_URL is set without BACKEND_WEBHOOK_SECRET"));
  }

  @Test
  void aSignedBackendATokenAndNoBackendAtAllGiveNoWarning() {
    assertEquals(
        List.of(),
        StartupWarnings.of(
            config(
                Map.of(
                    ConfigKeys.BACKEND_URL,
                    "http://backend:5002",
                    ConfigKeys.BACKEND_WEBHOOK_SECRET,
                    "s",
                    ConfigKeys.API_TOKEN,
                    SECRET_LIKE)),
            5000));
    assertEquals(
        List.of(), StartupWarnings.of(config(Map.of(ConfigKeys.API_TOKEN, SECRET_LIKE)), 5000));
  }

  @Test
  void aTokenShorterThan32CharactersIsWarnedAbout() {
    List<String> warnings =
        StartupWarnings.of(config(Map.of(ConfigKeys.API_TOKEN, SECRET_LIKE.substring(1))), 5000);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("AR_API_TOKEN has fewer than 32 characters"));
  }

  @Test
  void anOpenApiOnEveryInterfaceIsWarnedAboutWithItsPort() {
    List<String> warnings = StartupWarnings.of(config(Map.of()), 5123);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(
        warnings.get(0).startsWith("AR_API_TOKEN is not set and the service listens on 0.0.0.0"));
    assertTrue(warnings.get(0).contains("port 5123"));
  }

  private static AppConfig config(Map<String, Object> overrides) {
    var json = ConfigLoader.defaults().put(ConfigKeys.DATA_DIR, "/srv/ar");
    overrides.forEach(json::put);
    return AppConfig.from(json);
  }
}
