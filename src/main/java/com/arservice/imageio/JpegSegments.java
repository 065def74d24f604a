package com.arservice.imageio;

import java.io.DataInputStream;
import java.io.IOException;

/**
 * Walks a JPEG's marker segments without reading their contents (for the size and orientation
 * readers).
 */
final class JpegSegments {

  private JpegSegments() {}

  /**
   * Reads up to the next marker that starts a segment with a length, skipping fill bytes and
   * stand-alone markers, and returns it; the stream is then at the segment's length field. Returns
   * -1 at the scan data, at the end of the image or where no marker is.
   */
  static int next(DataInputStream in) throws IOException {
    while (true) {
      if (in.readUnsignedByte() != 0xFF) {
        return -1;
      }
      int marker;
      do {
        marker = in.readUnsignedByte();
      } while (marker == 0xFF);
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue;
      }
      return marker == 0xD9 || marker == 0xDA ? -1 : marker;
    }
  }
}
