package com.arservice.mind.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.mind.detect.GreyImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class QualityAnalyzerTest {

  private static final QualityAnalyzer FEW_VIEWS = new QualityAnalyzer(16, 3);

  @Test
  void aRichPhotoScoresWellAndAFlatGradientScoresNothing() throws Exception {
    QualityReport rich = FEW_VIEWS.analyze(QualityPhotos.resource("landscape-800x640.jpg"), false);
    QualityReport flat = FEW_VIEWS.analyze(QualityPhotos.gradient(), false);
    assertTrue(rich.score() >= QualityReport.GOOD, rich.toJson());
    assertTrue(rich.stars() >= 3, rich.toJson());
    assertEquals(0, flat.score(), flat.toJson());
    assertEquals(0, flat.stars());
    assertTrue(hasAdvice(flat, "likely-to-fail"), flat.toJson());
    assertTrue(hasAdvice(flat, "few-features"), flat.toJson());
  }

  @Test
  void theSamePhotoAndSeedAlwaysGiveTheSameReport() throws Exception {
    GreyImage photo = QualityPhotos.remap(QualityPhotos.resource("landscape-800x640.jpg"), 0.3, 0);
    assertEquals(
        FEW_VIEWS.analyze(photo, false).toJson(), FEW_VIEWS.analyze(photo, false).toJson());
  }

  @Test
  void repeatedTilesAreCalledARepeatedPattern() {
    QualityReport tiles = FEW_VIEWS.analyze(QualityPhotos.tiles(), false);
    assertTrue(tiles.breakdown().distinctiveness() < 0.2, tiles.toJson());
    assertTrue(hasAdvice(tiles, "repeated-pattern"), tiles.toJson());
    assertTrue(tiles.score() < QualityReport.POOR, tiles.toJson());
  }

  @Test
  void aStripOfTextOnAnEmptyPageIsCalledSparse() {
    QualityReport strip = FEW_VIEWS.analyze(QualityPhotos.textStrip(), false);
    assertTrue(hasAdvice(strip, "sparse-detail"), strip.toJson());
    assertTrue(strip.score() < QualityReport.POOR, strip.toJson());
  }

  @Test
  void aDarkCopyIsCalledTooDark() throws Exception {
    GreyImage dark = QualityPhotos.remap(QualityPhotos.resource("landscape-800x640.jpg"), 0.18, 0);
    QualityReport report = FEW_VIEWS.analyze(dark, false);
    assertTrue(hasAdvice(report, "too-dark"), report.toJson());
  }

  @Test
  void theHeatmapIsAPngOfThePhotosSizeOnlyWhenAskedFor() throws Exception {
    GreyImage logo = QualityPhotos.logo();
    assertNull(FEW_VIEWS.analyze(logo, false).heatmap());
    byte[] png = FEW_VIEWS.analyze(logo, true).heatmap();
    assertNotNull(png);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(logo.width(), image.getWidth());
    assertEquals(logo.height(), image.getHeight());
  }

  @Test
  void theBreakdownCountsPointsPerKeyframeAndCoverage() throws Exception {
    QualityReport r = FEW_VIEWS.analyze(QualityPhotos.resource("landscape-800x640.jpg"), false);
    QualityReport.Breakdown b = r.breakdown();
    assertEquals(1.0, b.keyframes().get(0).scale());
    assertEquals(800, b.keyframes().get(0).width());
    assertTrue(b.keyframes().get(0).points() > 100, r.toJson());
    assertTrue(b.coverage() > 0.5 && b.coverage() <= 1, r.toJson());
    assertTrue(b.trackingPoints() > 0, r.toJson());
  }

  private static boolean hasAdvice(QualityReport r, String code) {
    return r.advice().stream().anyMatch(a -> a.code().equals(code));
  }
}
