package com.arservice.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Collects Vert.x's blocked-thread warnings (wired in logback-test.xml) and, used as a JUnit
 * extension, fails any test during which an event loop or worker was reported blocked.
 */
public final class BlockedThreadWatch extends AppenderBase<ILoggingEvent>
    implements BeforeEachCallback, AfterEachCallback {
  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    EVENTS.add(event.getFormattedMessage());
  }

  /** The warnings recorded since the last test started. */
  public static List<String> events() {
    return List.copyOf(EVENTS);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    EVENTS.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!EVENTS.isEmpty()) {
      throw new AssertionError("Vert.x reported blocked threads: " + EVENTS);
    }
  }
}
