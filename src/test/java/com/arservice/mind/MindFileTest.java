package com.arservice.mind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.arservice.mind.detect.FeaturePoint;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class MindFileTest {

  /** med.mind was written by MindAR 1.2.5 with @msgpack/msgpack 2.8.0. */
  @Test
  void rewritesAMindArFileToIdenticalBytes() throws Exception {
    byte[] ref = TestJson.bytes("/mind/med.mind");
    List<MindTarget> targets = MindFile.read(ref);
    assertEquals(1, targets.size());
    assertEquals(260, targets.get(0).width());
    assertEquals(5, targets.get(0).matchingData().size());
    assertArrayEquals(ref, MindFile.write(targets));
  }

  @Test
  void writesNumbersAsMsgpackJsWritesJavaScriptNumbers() throws IOException {
    assertEquals("00", packed(0));
    assertEquals("00", packed(-0.0));
    assertEquals("7f", packed(127));
    assertEquals("cc80", packed(128));
    assertEquals("ccff", packed(255));
    assertEquals("cd0100", packed(256));
    assertEquals("cdffff", packed(65535));
    assertEquals("ce00010000", packed(65536));
    assertEquals("ceffffffff", packed(4294967295.0));
    assertEquals("cf0000000100000000", packed(4294967296.0));
    assertEquals("ff", packed(-1));
    assertEquals("e0", packed(-32));
    assertEquals("d0df", packed(-33));
    assertEquals("d080", packed(-128));
    assertEquals("d1ff7f", packed(-129));
    assertEquals("d2ffff7fff", packed(-32769));
    assertEquals("cb3fe0000000000000", packed(0.5));
    assertEquals("cbbff8000000000000", packed(-1.5));
    assertEquals("cb7ff8000000000000", packed(Double.NaN));
    assertEquals("cb7ff0000000000000", packed(Double.POSITIVE_INFINITY));
    assertEquals("cb4340000000000000", packed(9007199254740992.0));
    assertEquals("cf001fffffffffffff", packed(9007199254740991.0));
  }

  @Test
  void writesTheDocumentLayoutMindArReads() throws IOException {
    FeaturePoint p = new FeaturePoint(true, 3, 4.5, 1, -0.25, new int[] {-1, 0x80});
    ClusterNode root =
        new ClusterNode(
            -1, false, new int[0], List.of(new ClusterNode(12, true, new int[] {0}, List.of())));
    MatchingKeyframe k =
        new MatchingKeyframe(
            10,
            8,
            0.5,
            List.of(p),
            List.of(),
            root,
            new ClusterNode(-1, true, new int[0], List.of()));
    TrackingImage t =
        new TrackingImage(new byte[] {1, 2, 3}, 3, 1, 1.0, List.of(new TrackingImage.Point(1, 0)));
    byte[] bytes = MindFile.write(List.of(new MindTarget(20, 16, List.of(t), List.of(k))));
    String hex = HexFormat.of().formatHex(bytes);
    // {v: 2, dataList: [{targetImage: {width: 20, height: 16}, trackingData: [{data: bin 010203,
    // scale: 1, ...
    assertEquals(
        true,
        hex.startsWith(
            "82a17602a8646174614c69737491"
                + "83ab746172676574496d616765"
                + "82a5776964746814a6686569676874"
                + "10"
                + "ac747261636b696e674461746191"
                + "85a464617461c403010203a57363616c6501"),
        hex);
    // centre index of a child as a decimal string, the root's as nil
    assertEquals(true, hex.contains(hex("centerPointIndex") + "a23132"), hex);
    assertEquals(true, hex.contains(hex("centerPointIndex") + "c0"), hex);
    // descriptor words unsigned: 0xffffffff as uint32
    assertEquals(true, hex.contains("92ceffffffffcc80"), hex);

    MindTarget back = MindFile.read(bytes).get(0);
    FeaturePoint q = back.matchingData().get(0).maximaPoints().get(0);
    assertEquals(4.5, q.y());
    assertEquals(-0.25, q.angle());
    assertArrayEquals(p.descriptors(), q.descriptors());
    assertEquals(
        12, back.matchingData().get(0).maximaCluster().children().get(0).centerPointIndex());
    assertArrayEquals(bytes, MindFile.write(List.of(back)));
  }

  @Test
  void rejectsBytesThatAreNotAMindFile() {
    assertThrows(IOException.class, () -> MindFile.read(new byte[] {(byte) 0xc1, 2, 3}));
    assertThrows(IOException.class, () -> MindFile.read(HexFormat.of().parseHex("81a17601")));
    assertThrows(IOException.class, () -> MindFile.read(HexFormat.of().parseHex("81a17602")));
  }

  private static String hex(String key) {
    return HexFormat.of().formatHex(new byte[] {(byte) (0xa0 + key.length())})
        + HexFormat.of().formatHex(key.getBytes());
  }

  private static String packed(double v) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      MindFile.packNumber(p, v);
      return HexFormat.of().formatHex(p.toByteArray());
    }
  }
}
