package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QrCodeWriterTest {

  @TempDir Path dir;

  @Test
  void writesA512PixelPngThatDecodesToTheUrlWithErrorCorrectionM() throws Exception {
    String url = "https://shop.example.com/ar/view/3f1c2a9e-5b7d-4c1e-9a2b-0d8e7f6a5b4c";
    Path out = dir.resolve("qr.png");

    QrCodeWriter.write(url, out);

    BufferedImage image = ImageIO.read(out.toFile());
    assertEquals(512, image.getWidth());
    assertEquals(512, image.getHeight());
    int[] pixels = image.getRGB(0, 0, 512, 512, null, 0, 512);
    var result =
        new QRCodeReader()
            .decode(
                new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(512, 512, pixels))),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.FALSE));
    assertEquals(url, result.getText());
    assertEquals(
        ErrorCorrectionLevel.M.toString(),
        result.getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL));
    assertEquals(0xFFFFFFFF, image.getRGB(0, 0), "quiet zone is white");
  }

  @Test
  void everyOfThreeHundredViewUrlsReadsBackFromThePng() {
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      String url = "https://shop.example/ar/view/" + new UUID(random.nextLong(), random.nextLong());
      BufferedImage image = QrCodeWriter.render(url);
      int[] pixels = image.getRGB(0, 0, 512, 512, null, 0, 512);
      try {
        var result =
            new QRCodeReader()
                .decode(
                    new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(512, 512, pixels))),
                    Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE));
        assertEquals(url, result.getText());
      } catch (ReaderException e) {
        throw new AssertionError("unreadable QR code for " + url, e);
      }
    }
  }
}
