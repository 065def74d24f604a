package com.arservice;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.testing.Processes;
import com.arservice.testing.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar warns at start-up when its open write and admin routes can be reached from other
 * machines, and when its token is short enough to guess.
 */
class OpenByDefaultIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String WARNING = "AR_API_TOKEN is not set and the service listens on ";
  private static final String SHORT_TOKEN = "AR_API_TOKEN has fewer than 32 characters";

  @Test
  void
      withoutATokenOnEveryInterfaceTheStartUpWarnsAndOnLoopbackOrWithATokenItDoesNotButAShortTokenIsWarnedAbout(
          @TempDir Path dir) throws Exception {
    String open = startAndStop(dir, "open", Map.of());
    assertTrue(open.contains(WARNING + "0.0.0.0, not only on loopback"), open);
    assertTrue(open.contains("listening on 0.0.0.0:"), open);

    String loopback = startAndStop(dir, "loopback", Map.of("AR_BIND_ADDRESS", "127.0.0.1"));
    assertFalse(loopback.contains(WARNING), loopback);
    assertTrue(loopback.contains("listening on 127.0.0.1:"), loopback);

    String withToken = startAndStop(dir, "token", Map.of("AR_API_TOKEN", "t0ken"));
    assertFalse(withToken.contains(WARNING), withToken);
    assertTrue(withToken.contains(SHORT_TOKEN), withToken);
    assertFalse(open.contains(SHORT_TOKEN), open);
  }

  /** Starts the jar with {@code env} until it answers, stops it and returns its log. */
  private static String startAndStop(Path dir, String name, Map<String, String> env)
      throws Exception {
    int port = Processes.freePort();
    Map<String, String> all = new HashMap<>(env);
    all.put("AR_DATA_DIR", dir.resolve("data").toString());
    all.put("PORT", Integer.toString(port));
    Path log = dir.resolve(name + ".log");
    Process p = ServiceProcess.start(all, log);
    try {
      ServiceProcess.awaitOk(port, "/health/live", p, START);
    } finally {
      assertTrue(ServiceProcess.stop(p), "exits within a minute of SIGTERM");
    }
    return Files.readString(log);
  }
}
