package com.arservice.project;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of projects ended: the last project's creation time and id (the listing's order), as
 * an opaque URL-safe string for {@code ?after=}.
 */
public record PageCursor(OffsetDateTime createdAt, UUID id) {
  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The cursor a previous page gave.
   *
   * @throws ServiceException BAD_REQUEST for a string no page gave
   */
  public static PageCursor decode(String raw) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split("\\|", 2);
      return new PageCursor(OffsetDateTime.parse(parts[0]), UUID.fromString(parts[1]));
    } catch (IllegalArgumentException | DateTimeParseException | ArrayIndexOutOfBoundsException e) {
      throw new ServiceException(Code.BAD_REQUEST, "after: not a cursor this listing gave");
    }
  }
}
