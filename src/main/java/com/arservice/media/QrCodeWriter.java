package com.arservice.media;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Pipeline step 8: the QR code of a project's public view URL, as a black-on-white PNG of {@value
 * #SIZE}×{@value #SIZE} px with a quiet zone of {@value #MARGIN} modules and error correction level
 * M (the original service's settings).
 */
public final class QrCodeWriter {

  /** Width and height of the PNG, in pixels. */
  public static final int SIZE = 512;

  /** Quiet zone around the code, in modules. */
  public static final int MARGIN = 2;

  private QrCodeWriter() {}

  /**
   * The QR code image (1-bit, black on white).
   *
   * @throws IllegalArgumentException if the text is too long for a QR code
   */
  public static BufferedImage render(String url) {
    Map<EncodeHintType, Object> hints =
        Map.of(
            EncodeHintType.ERROR_CORRECTION,
            ErrorCorrectionLevel.M,
            EncodeHintType.MARGIN,
            MARGIN,
            EncodeHintType.CHARACTER_SET,
            StandardCharsets.UTF_8.name());
    BitMatrix matrix;
    try {
      matrix = new QRCodeWriter().encode(url, BarcodeFormat.QR_CODE, SIZE, SIZE, hints);
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot encode as QR code: " + url, e);
    }
    BufferedImage image =
        new BufferedImage(matrix.getWidth(), matrix.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < matrix.getHeight(); y++) {
      for (int x = 0; x < matrix.getWidth(); x++) {
        image.setRGB(x, y, matrix.get(x, y) ? 0xFF000000 : 0xFFFFFFFF);
      }
    }
    return image;
  }

  /**
   * Writes the QR code PNG of {@code url} to {@code out} (atomically; parent folders created).
   *
   * @throws MediaException transient, when the file cannot be written
   */
  public static void write(String url, Path out) throws MediaException {
    try {
      ImageFiles.writePng(render(url), out);
    } catch (IOException e) {
      throw MediaException.transientFailure("The QR code could not be written to storage", e);
    }
  }
}
