package com.arservice.testing;

import com.arservice.media.TestVideos;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;
import javax.imageio.ImageIO;

/**
 * Small files made to exhaust a careless service's memory or limits, built on the spot by the tests
 * and the hostile-load benchmark: a PNG whose text chunk inflates to gigabytes, a mask of absurd
 * proportions, an MP4 whose header understates its length.
 */
public final class HostileFiles {
  private static final int MIB = 1 << 20;

  private HostileFiles() {}

  /**
   * {@code image} as a PNG with a {@code zTXt} chunk (before the pixel data) that inflates to
   * {@code inflatedMib} MiB of zeros from about a thousandth of that. The compressed text is one
   * MiB of zeros deflated once with a full flush (which makes it independent of what came before)
   * and repeated, so making it costs milliseconds.
   */
  public static Path pngWithZtxtBomb(BufferedImage image, int inflatedMib, Path file)
      throws IOException {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(new byte[MIB]);
    byte[] segment = drain(deflater, Deflater.FULL_FLUSH);
    deflater.finish();
    byte[] last = drain(deflater, Deflater.NO_FLUSH);
    deflater.end();
    long inflated = (long) inflatedMib * MIB;
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    text.write("Comment".getBytes(StandardCharsets.ISO_8859_1));
    text.write(new byte[] {0, 0, 0x78, (byte) 0xDA}); // keyword end, method deflate, zlib header
    for (int i = 0; i < inflatedMib; i++) {
      text.write(segment);
    }
    text.write(last);
    // Adler-32 of n zeros: a stays 1, b grows by 1 per byte
    text.write(ByteBuffer.allocate(4).putInt((int) ((inflated % 65521) << 16 | 1)).array());
    return insertChunk(image, "zTXt", text.toByteArray(), file);
  }

  /** How many bytes the first {@code zTXt} chunk of a PNG inflates to (counted while streaming). */
  public static long inflatedZtxtBytes(Path png) throws IOException {
    byte[] bytes = Files.readAllBytes(png);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    for (int at = 8; at + 8 <= bytes.length; ) {
      int length = b.getInt(at);
      String type = new String(bytes, at + 4, 4, StandardCharsets.ISO_8859_1);
      if (type.equals("zTXt")) {
        int data = at + 8;
        int keywordEnd = data;
        while (bytes[keywordEnd] != 0) {
          keywordEnd++;
        }
        long total = 0;
        try (InputStream in =
            new InflaterInputStream(
                new ByteArrayInputStream(bytes, keywordEnd + 2, data + length - keywordEnd - 2))) {
          byte[] buffer = new byte[MIB];
          int n;
          while ((n = in.read(buffer)) > 0) {
            total += n;
          }
        }
        return total;
      }
      at += 12 + length;
    }
    return 0;
  }

  /**
   * {@code image} as a PNG with an {@code eXIf} chunk whose first IFD (holding the orientation) is
   * placed {@code ifdOffset} bytes into the EXIF data, padded with zeros up to it.
   */
  public static Path pngWithExif(BufferedImage image, int orientation, int ifdOffset, Path file)
      throws IOException {
    ByteBuffer tiff = ByteBuffer.allocate(ifdOffset + 18);
    tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(ifdOffset).position(ifdOffset);
    tiff.putShort((short) 1)
        .putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) orientation)
        .putShort((short) 0)
        .putInt(0);
    return insertChunk(image, "eXIf", tiff.array(), file);
  }

  /** A white PNG of the given size, e.g. a 4 KB 400000×10 "mask". */
  public static Path whitePng(int width, int height, Path file) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Arrays.fill(((DataBufferByte) image.getRaster().getDataBuffer()).getData(), (byte) 255);
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
    return file;
  }

  /**
   * An MP4 holding {@code realSeconds} of 160×120 video at 5 fps whose movie, track and media
   * headers claim {@code claimedSeconds}, which ffprobe then reports as its duration.
   */
  public static Path lyingMp4(Path file, int realSeconds, int claimedSeconds) throws Exception {
    // no edit list: ffprobe would take the real length from it instead of the patched headers
    TestVideos.make(file, 160, 120, realSeconds, false, 5, "-crf", "40", "-use_editlist", "0");
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int mvhd = box(bytes, "mvhd");
    int movieScale = b.getInt(mvhd + 16);
    b.putInt(mvhd + 20, claimedSeconds * movieScale);
    b.putInt(box(bytes, "tkhd") + 24, claimedSeconds * movieScale);
    int mdhd = box(bytes, "mdhd");
    b.putInt(mdhd + 20, claimedSeconds * b.getInt(mdhd + 16));
    Files.write(file, bytes);
    return file;
  }

  /**
   * An upload body of {@code bytes} bytes made as it is read: {@code head}, then zeros, so a large
   * body costs the test no memory.
   */
  public static InputStream paddedBody(byte[] head, long bytes) {
    InputStream zeros =
        new InputStream() {
          private long left = bytes - head.length;

          @Override
          public int read() {
            return left-- > 0 ? 0 : -1;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (left <= 0) {
              return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
          }
        };
    return new SequenceInputStream(new ByteArrayInputStream(head), zeros);
  }

  /** Offset of a version-0 box's type field. */
  private static int box(byte[] bytes, String type) throws IOException {
    byte[] name = type.getBytes(StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + 4 < bytes.length; i++) {
      for (int j = 0; j < 4; j++) {
        if (bytes[i + j] != name[j]) {
          continue outer;
        }
      }
      if (bytes[i + 4] != 0) {
        throw new IOException(type + " is not version 0");
      }
      return i;
    }
    throw new IOException("no " + type + " box");
  }

  private static byte[] drain(Deflater deflater, int flush) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    int n;
    do {
      n = deflater.deflate(buffer, 0, buffer.length, flush);
      out.write(buffer, 0, n);
    } while (n > 0 || !deflater.needsInput() && !deflater.finished());
    return out.toByteArray();
  }

  /** The image as PNG with one more chunk right after IHDR. */
  private static Path insertChunk(BufferedImage image, String type, byte[] data, Path file)
      throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    byte[] plain = png.toByteArray();
    int afterHeader = 8 + 25;
    byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length + data.length + 12);
    out.write(plain, 0, afterHeader);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(typeBytes);
    out.write(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    out.write(plain, afterHeader, plain.length - afterHeader);
    Files.write(file, out.toByteArray());
    return file;
  }
}
