package com.arservice.http;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** All SQL of the console's sessions ({@code ar_console_sessions}); times come from the caller. */
final class SessionStore {
  private final Pool pool;

  SessionStore(Pool pool) {
    this.pool = pool;
  }

  /** Records a session, after forgetting every one that has expired. */
  Future<Void> add(String id, String fingerprint, Instant created, Instant expires) {
    return pool.preparedQuery("DELETE FROM ar_console_sessions WHERE expires_at <= $1")
        .execute(Tuple.of(at(created)))
        .compose(
            v ->
                pool.preparedQuery(
                        "INSERT INTO ar_console_sessions (id, token_fingerprint, created_at, "
                            + "expires_at) VALUES ($1, $2, $3, $4)")
                    .execute(Tuple.of(id, fingerprint, at(created), at(expires))))
        .mapEmpty();
  }

  /**
   * Whether {@code id} is a session made with the token of {@code fingerprint}, live at {@code
   * now}.
   */
  Future<Boolean> live(String id, String fingerprint, Instant now) {
    return pool.preparedQuery(
            "SELECT 1 FROM ar_console_sessions "
                + "WHERE id = $1 AND token_fingerprint = $2 AND expires_at > $3")
        .execute(Tuple.of(id, fingerprint, at(now)))
        .map(rows -> rows.size() == 1);
  }

  Future<Void> remove(String id) {
    return pool.preparedQuery("DELETE FROM ar_console_sessions WHERE id = $1")
        .execute(Tuple.of(id))
        .mapEmpty();
  }

  private static OffsetDateTime at(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
