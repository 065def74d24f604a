package com.arservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose setup is closed by default: only nginx is published beyond this machine and every
 * secret comes from {@code .env} (never committed), so a missing one stops compose instead of
 * falling back to a known password. There is no Docker engine here; the files are read as compose
 * does.
 */
class DeploymentFilesTest {
  private static final Path COMPOSE = Path.of("docker-compose.yml");

  /** {@code ${NAME:?message}}: compose refuses to start while NAME is unset or empty. */
  private static final Pattern REQUIRED = Pattern.compile("\\$\\{(\\w+):\\?[^}]*}");

  private static final List<String> SECRETS = List.of("AR_DB_PASSWORD", "AR_API_TOKEN");

  @Test
  void onlyNginxIsPublishedBeyondLoopback() throws Exception {
    Map<String, Map<String, Object>> services = services();
    List<String> exposed = new ArrayList<>();
    services.forEach(
        (name, service) -> {
          for (Object port : (List<?>) service.getOrDefault("ports", List.of())) {
            if (!hostIp(port).equals("127.0.0.1")) {
              exposed.add(name + " " + port);
            }
          }
        });
    assertEquals(List.of("nginx 80:80"), exposed);
    assertTrue(
        services.get("ar-service").containsKey("ports"),
        "a shop backend on this host still reaches it");
  }

  @Test
  void everySecretIsRequiredFromTheEnvironmentAndNoneHasADefault() throws Exception {
    String compose = Files.readString(COMPOSE);
    TreeSet<String> required = new TreeSet<>();
    Matcher m = REQUIRED.matcher(compose);
    while (m.find()) {
      required.add(m.group(1));
    }
    assertTrue(required.containsAll(SECRETS), "required: " + required);
    for (String secret : SECRETS) {
      assertFalse(
          Pattern.compile("\\$\\{" + secret + ":?-").matcher(compose).find(),
          secret + " has a default");
    }
    assertFalse(compose.contains("change-me"), "no literal password");
    Map<String, Object> db = services().get("ar-db");
    assertEquals(
        "${AR_DB_PASSWORD:?set AR_DB_PASSWORD in .env}",
        ((Map<?, ?>) db.get("environment")).get("POSTGRES_PASSWORD"));
  }

  @Test
  void theEnvExampleNamesEveryRequiredVariableAndTheRealEnvFileIsNeverCommittedOrCopied()
      throws Exception {
    Properties example = new Properties();
    try (var in = Files.newBufferedReader(Path.of(".env.example"))) {
      example.load(in);
    }
    Matcher m = REQUIRED.matcher(Files.readString(COMPOSE));
    while (m.find()) {
      assertTrue(example.containsKey(m.group(1)), ".env.example names " + m.group(1));
    }
    for (String secret : SECRETS) {
      assertEquals("", example.getProperty(secret), "the example holds no usable " + secret);
    }
    assertTrue(Files.readAllLines(Path.of(".gitignore")).contains(".env"));
    assertTrue(Files.readAllLines(Path.of(".dockerignore")).contains(".env"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() throws Exception {
    Map<String, Object> doc = new Yaml().load(Files.readString(COMPOSE));
    return (Map<String, Map<String, Object>>) doc.get("services");
  }

  /**
   * The host interface of a port mapping, short ({@code [ip:]host:container}) or long ({@code
   * host_ip:}) syntax; {@code 0.0.0.0} when none is given, as compose publishes then.
   */
  private static String hostIp(Object port) {
    if (port instanceof Map<?, ?> longSyntax) {
      Object ip = longSyntax.get("host_ip");
      return ip == null ? "0.0.0.0" : ip.toString();
    }
    String[] parts = String.valueOf(port).split(":");
    return parts.length == 3 ? parts[0] : "0.0.0.0";
  }
}
