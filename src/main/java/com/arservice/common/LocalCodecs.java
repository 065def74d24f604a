package com.arservice.common;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Lets records travel the event bus as they are. The event bus is local (no clustering), so every
 * message stays in this JVM: a record is handed over by reference, never encoded. Records are
 * immutable, so sender and receiver may share one. JSON stays for the HTTP edge and the database.
 */
public final class LocalCodecs {
  private static final String NAME = "ar-local-record";

  private LocalCodecs() {}

  /**
   * Registers the record codec on {@code vertx}'s event bus; does nothing when it is there already,
   * so every verticle that sends or answers records may call it in its start.
   */
  public static void register(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    // registerCodec checks and then adds, so two verticles starting at once must not interleave.
    synchronized (bus) {
      try {
        bus.registerCodec(new RecordCodec());
      } catch (IllegalStateException alreadyRegistered) {
        return;
      }
      bus.codecSelector(body -> body instanceof Record ? NAME : null);
    }
  }

  /** Passes a record through unchanged; refuses the wire, which a local event bus never uses. */
  private static final class RecordCodec implements MessageCodec<Record, Record> {
    @Override
    public void encodeToWire(Buffer buffer, Record body) {
      throw new UnsupportedOperationException(
          "Records stay in this JVM: " + body.getClass().getName());
    }

    @Override
    public Record decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException("Records stay in this JVM");
    }

    @Override
    public Record transform(Record body) {
      return body;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
