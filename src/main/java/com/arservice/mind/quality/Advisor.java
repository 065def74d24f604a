package com.arservice.mind.quality;

import java.util.ArrayList;
import java.util.List;

/** Turns a report's figures into plain sentences, in English and Russian, worst first. */
final class Advisor {

  private static final double THIN_HALF = 0.15;

  private Advisor() {}

  /**
   * @param halves feature points in the top, bottom, left and right half of the photo
   */
  static List<QualityReport.Advice> advise(
      int score, QualityReport.DetectionRate rate, QualityReport.Breakdown b, int[] halves) {
    List<QualityReport.Advice> out = new ArrayList<>();
    if (score < QualityReport.POOR) {
      out.add(
          new QualityReport.Advice(
              "likely-to-fail",
              "Phones will often fail to recognise this photo; choose a more detailed one.",
              "Телефоны часто не будут узнавать эту фотографию; выберите более детальную."));
    }
    if (b.brightness() < 70) {
      out.add(
          new QualityReport.Advice(
              "too-dark", "Too dark: brighten the photo.", "Слишком темно: осветлите фотографию."));
    }
    if (b.contrast() < 30) {
      out.add(
          new QualityReport.Advice(
              "low-contrast",
              "Too little contrast: the camera sees a flat grey surface.",
              "Слишком мало контраста: камера видит ровную серую поверхность."));
    }
    int total = halves[0] + halves[1];
    if (total < 100) {
      out.add(
          new QualityReport.Advice(
              "few-features",
              "Too little detail: large flat areas give the camera nothing to hold on to.",
              "Слишком мало деталей: на больших ровных участках камере не за что зацепиться."));
    } else {
      String[][] names = {
        {"top", "The top half has almost no detail.", "В верхней половине почти нет деталей."},
        {"bottom", "The bottom half has almost no detail.", "В нижней половине почти нет деталей."},
        {"left", "The left half has almost no detail.", "В левой половине почти нет деталей."},
        {"right", "The right half has almost no detail.", "В правой половине почти нет деталей."},
      };
      for (int i = 0; i < 4; i++) {
        if (halves[i] < THIN_HALF * total) {
          out.add(new QualityReport.Advice("empty-" + names[i][0], names[i][1], names[i][2]));
        }
      }
    }
    if (total >= 100 && b.coverage() < 0.35) {
      out.add(
          new QualityReport.Advice(
              "sparse-detail",
              "Most of the photo has no detail: only a small part of it can be recognised.",
              "На большей части фотографии нет деталей: узнать можно только её малую часть."));
    }
    if (b.distinctiveness() < 0.6 && total >= 30) {
      out.add(
          new QualityReport.Advice(
              "repeated-pattern",
              "The pattern repeats, the camera cannot tell where it is.",
              "Узор повторяется, камера не может понять, где она находится."));
    }
    if (rate.near() >= 0.6 && rate.far() < 0.3) {
      out.add(
          new QualityReport.Advice(
              "close-only",
              "It is recognised only close up: print it larger or choose a photo with bigger details.",
              "Её узнают только вблизи: напечатайте крупнее или выберите фото с более крупными деталями."));
    }
    if (rate.sharp() >= 0.6 && rate.blurred() < 0.3) {
      out.add(
          new QualityReport.Advice(
              "fine-detail-only",
              "Its detail is so fine that a slightly blurred camera loses it.",
              "Детали настолько мелкие, что слегка размытая камера их теряет."));
    }
    if (out.isEmpty() && score >= QualityReport.GOOD) {
      out.add(
          new QualityReport.Advice(
              "good",
              "A good target: phones will find it easily.",
              "Хорошая метка: телефоны легко её найдут."));
    }
    return List.copyOf(out);
  }
}
