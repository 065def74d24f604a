package com.arservice.mind.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.mind.MarkerMode;
import com.arservice.mind.MatchingKeyframe;
import com.arservice.mind.MindCompiler;
import com.arservice.mind.MindFile;
import com.arservice.mind.MindTarget;
import com.arservice.mind.TrackingImage;
import com.arservice.mind.detect.FeaturePoint;
import com.arservice.mind.detect.GreyImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RobustCompilerTest {

  private static GreyImage photo;
  private static MindTarget reference;
  private static MindTarget robust;

  @BeforeAll
  static void compile() throws Exception {
    photo = QualityPhotos.resource("wide-1024x768.jpg");
    reference = MindCompiler.compileTarget(photo);
    robust = RobustCompiler.compileTarget(photo, MarkerMode.ROBUST);
  }

  @Test
  void theSamePhotoGivesTheSameFile() {
    assertArrayEquals(
        RobustCompiler.write(List.of(robust), MarkerMode.ROBUST),
        RobustCompiler.compile(List.of(photo), MarkerMode.ROBUST).mind());
  }

  @Test
  void referenceModeIsMindArsOwnCompiler() {
    assertArrayEquals(
        MindCompiler.compile(List.of(photo)).mind(),
        RobustCompiler.compile(List.of(photo), MarkerMode.REFERENCE).mind());
  }

  @Test
  void theTrackerReadsMindArsOwnTrackingKeyframeAndTheUnusedOneIsOnePixel() {
    TrackingImage read = robust.trackingData().get(1);
    TrackingImage mindar = reference.trackingData().get(1);
    assertArrayEquals(mindar.data(), read.data());
    assertEquals(mindar.points(), read.points());
    assertEquals(mindar.scale(), read.scale());
    TrackingImage unused = robust.trackingData().get(0);
    assertEquals(1, unused.width() * unused.height());
    assertEquals(1, unused.data().length);
    assertTrue(unused.points().isEmpty());
  }

  @Test
  void keyframesKeepSomeOfMindArsPointsWithTreesOverExactlyThem() {
    int frameWidth = 640;
    List<MatchingKeyframe> mindar = new ArrayList<>();
    for (MatchingKeyframe k : reference.matchingData()) {
      if (Math.max(k.width(), k.height()) <= RobustCompiler.MAX_SIDE * frameWidth) {
        mindar.add(k);
      }
    }
    assertTrue(mindar.size() < reference.matchingData().size(), "the largest keyframes go");
    assertEquals(mindar.size(), robust.matchingData().size());
    int pruned = 0;
    for (int k = 0; k < mindar.size(); k++) {
      MatchingKeyframe ours = robust.matchingData().get(k);
      MatchingKeyframe theirs = mindar.get(k);
      assertEquals(theirs.scale(), ours.scale());
      if (theirs.pointCount() > RobustCompiler.MIN_KEEP) {
        assertTrue(ours.pointCount() < theirs.pointCount(), "keyframe " + k + " is pruned");
        pruned++;
      }
      assertTrue(ours.pointCount() >= Math.min(theirs.pointCount(), RobustCompiler.MIN_KEEP));
      Set<String> descriptors = new HashSet<>();
      for (FeaturePoint p : all(theirs)) {
        descriptors.add(Arrays.toString(p.descriptors()));
      }
      for (FeaturePoint p : all(ours)) {
        assertTrue(descriptors.contains(Arrays.toString(p.descriptors())));
        assertEquals((float) p.x(), p.x(), "stored as float32 exactly");
      }
      assertEquals(ours.maximaPoints().size(), ours.maximaCluster().pointCount());
      assertEquals(ours.minimaPoints().size(), ours.minimaCluster().pointCount());
    }
    assertTrue(pruned > 0, "the larger keyframes are pruned");
  }

  @Test
  void theCompactFileReadsBackAsTheSameTargetInLessThanHalfTheBytes() throws Exception {
    byte[] bytes = RobustCompiler.write(List.of(robust), MarkerMode.ROBUST);
    MindTarget back = MindFile.read(bytes).get(0);
    assertEquals(robust.matchingPointCount(), back.matchingPointCount());
    for (int k = 0; k < back.matchingData().size(); k++) {
      List<FeaturePoint> a = all(robust.matchingData().get(k));
      List<FeaturePoint> b = all(back.matchingData().get(k));
      for (int i = 0; i < a.size(); i++) {
        assertEquals(a.get(i).x(), b.get(i).x());
        assertEquals(a.get(i).y(), b.get(i).y());
        assertEquals(a.get(i).angle(), b.get(i).angle());
        assertEquals(a.get(i).scale(), b.get(i).scale());
      }
    }
    int referenceBytes = MindFile.write(List.of(reference)).length;
    assertTrue(bytes.length < 0.5 * referenceBytes, bytes.length + " of " + referenceBytes);
  }

  private static List<FeaturePoint> all(MatchingKeyframe k) {
    List<FeaturePoint> all = new ArrayList<>(k.maximaPoints());
    all.addAll(k.minimaPoints());
    return all;
  }
}
