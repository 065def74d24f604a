package com.arservice.mind;

import com.arservice.mind.detect.FeaturePoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Reads and writes MindAR 1.2.5 {@code .mind} files: {@code {v: 2, dataList: [...]}} in
 * MessagePack.
 *
 * <p>The writer reproduces byte for byte what MindAR's {@code exportData} gets from
 * {@code @msgpack/msgpack} 2.x: map keys in JavaScript insertion order, every number written as
 * that library writes a JS number (a safe integer, -0 included, in the smallest integer format;
 * anything else as float64), grey pixels as bin, and the clustering centre indexes as strings
 * because MindAR takes them from {@code Object.keys}.
 */
public final class MindFile {

  /** The only format version MindAR 1.2.5 accepts. */
  public static final int VERSION = 2;

  private static final double MAX_SAFE_INTEGER = 9007199254740991.0;

  private MindFile() {}

  /** Encodes the targets, in order, as a {@code .mind} file, numbers as MindAR writes them. */
  public static byte[] write(List<MindTarget> targets) {
    return write(targets, false);
  }

  /**
   * Encodes the targets with the smallest number encodings the runtime's decoder reads back as the
   * same values: integers in the smallest integer format, other numbers that a float32 holds
   * exactly as float32 (callers round what they want stored small), the rest as float64.
   */
  public static byte[] writeCompact(List<MindTarget> targets) {
    return write(targets, true);
  }

  private static byte[] write(List<MindTarget> targets, boolean compact) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packMapHeader(2);
      p.packString("v");
      p.packInt(VERSION);
      p.packString("dataList");
      p.packArrayHeader(targets.size());
      for (MindTarget t : targets) {
        new Writer(p, compact).target(t);
      }
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory MessagePack encoding failed", e);
    }
  }

  /** One file's encoder: the packer and the number encoding. */
  private record Writer(MessagePacker p, boolean compact) {
    void target(MindTarget t) throws IOException {
      p.packMapHeader(3);
      p.packString("targetImage");
      p.packMapHeader(2);
      p.packString("width");
      p.packInt(t.width());
      p.packString("height");
      p.packInt(t.height());
      p.packString("trackingData");
      p.packArrayHeader(t.trackingData().size());
      for (TrackingImage ti : t.trackingData()) {
        tracking(ti);
      }
      p.packString("matchingData");
      p.packArrayHeader(t.matchingData().size());
      for (MatchingKeyframe k : t.matchingData()) {
        keyframe(k);
      }
    }

    private void tracking(TrackingImage ti) throws IOException {
      p.packMapHeader(5);
      p.packString("data");
      p.packBinaryHeader(ti.data().length);
      p.writePayload(ti.data());
      p.packString("scale");
      number(ti.scale());
      p.packString("width");
      p.packInt(ti.width());
      p.packString("height");
      p.packInt(ti.height());
      p.packString("points");
      p.packArrayHeader(ti.points().size());
      for (TrackingImage.Point pt : ti.points()) {
        p.packMapHeader(2);
        p.packString("x");
        p.packInt(pt.x());
        p.packString("y");
        p.packInt(pt.y());
      }
    }

    private void keyframe(MatchingKeyframe k) throws IOException {
      p.packMapHeader(7);
      p.packString("maximaPoints");
      points(k.maximaPoints());
      p.packString("minimaPoints");
      points(k.minimaPoints());
      p.packString("maximaPointsCluster");
      cluster(k.maximaCluster());
      p.packString("minimaPointsCluster");
      cluster(k.minimaCluster());
      p.packString("width");
      p.packInt(k.width());
      p.packString("height");
      p.packInt(k.height());
      p.packString("scale");
      number(k.scale());
    }

    private void points(List<FeaturePoint> points) throws IOException {
      p.packArrayHeader(points.size());
      for (FeaturePoint f : points) {
        p.packMapHeader(6);
        p.packString("maxima");
        p.packBoolean(f.maxima());
        p.packString("x");
        number(f.x());
        p.packString("y");
        number(f.y());
        p.packString("scale");
        number(f.scale());
        p.packString("angle");
        number(f.angle());
        p.packString("descriptors");
        p.packArrayHeader(f.descriptors().length);
        for (int word : f.descriptors()) {
          p.packLong(Integer.toUnsignedLong(word));
        }
      }
    }

    private void cluster(ClusterNode root) throws IOException {
      p.packMapHeader(1);
      p.packString("rootNode");
      node(root);
    }

    private void node(ClusterNode n) throws IOException {
      p.packMapHeader(3);
      p.packString("centerPointIndex");
      if (n.centerPointIndex() < 0) {
        p.packNil();
      } else {
        p.packString(Integer.toString(n.centerPointIndex()));
      }
      p.packString("leaf");
      p.packBoolean(n.leaf());
      if (n.leaf()) {
        p.packString("pointIndexes");
        p.packArrayHeader(n.pointIndexes().length);
        for (int i : n.pointIndexes()) {
          p.packInt(i);
        }
      } else {
        p.packString("children");
        p.packArrayHeader(n.children().size());
        for (ClusterNode c : n.children()) {
          node(c);
        }
      }
    }

    private void number(double v) throws IOException {
      if (compact && v != Math.rint(v) && (double) (float) v == v) {
        p.packFloat((float) v);
      } else {
        packNumber(p, v);
      }
    }
  }

  /** Writes a double the way {@code @msgpack/msgpack} writes a JS number. */
  static void packNumber(MessagePacker p, double v) throws IOException {
    if (v == Math.rint(v) && Math.abs(v) <= MAX_SAFE_INTEGER) {
      p.packLong((long) v);
    } else {
      p.packDouble(v);
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * Decodes a {@code .mind} file.
   *
   * @throws IOException if the bytes are not MessagePack, not version 2, or miss a field MindAR
   *     reads
   */
  public static List<MindTarget> read(byte[] bytes) throws IOException {
    Object root;
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
      root = readValue(u);
      if (u.hasNext()) {
        throw new IOException("trailing bytes after the .mind content");
      }
    } catch (MessagePackException e) {
      throw new IOException("not a MessagePack .mind file: " + e.getMessage(), e);
    }
    try {
      Map<?, ?> top = (Map<?, ?>) root;
      Object v = top.get("v");
      if (!(v instanceof Long l) || l != VERSION) {
        throw new IOException("unsupported .mind version " + v + ", expected " + VERSION);
      }
      List<MindTarget> targets = new ArrayList<>();
      for (Object t : list(top, "dataList")) {
        targets.add(readTarget((Map<?, ?>) t));
      }
      return targets;
    } catch (RuntimeException e) {
      throw new IOException("malformed .mind structure: " + e.getMessage(), e);
    }
  }

  private static MindTarget readTarget(Map<?, ?> t) {
    Map<?, ?> img = (Map<?, ?>) t.get("targetImage");
    List<TrackingImage> tracking = new ArrayList<>();
    for (Object o : list(t, "trackingData")) {
      Map<?, ?> m = (Map<?, ?>) o;
      List<TrackingImage.Point> pts = new ArrayList<>();
      for (Object po : list(m, "points")) {
        Map<?, ?> pm = (Map<?, ?>) po;
        pts.add(new TrackingImage.Point(integer(pm, "x"), integer(pm, "y")));
      }
      tracking.add(
          new TrackingImage(
              (byte[]) m.get("data"),
              integer(m, "width"),
              integer(m, "height"),
              number(m, "scale"),
              pts));
    }
    List<MatchingKeyframe> matching = new ArrayList<>();
    for (Object o : list(t, "matchingData")) {
      Map<?, ?> m = (Map<?, ?>) o;
      matching.add(
          new MatchingKeyframe(
              integer(m, "width"),
              integer(m, "height"),
              number(m, "scale"),
              points(list(m, "maximaPoints")),
              points(list(m, "minimaPoints")),
              node((Map<?, ?>) ((Map<?, ?>) m.get("maximaPointsCluster")).get("rootNode")),
              node((Map<?, ?>) ((Map<?, ?>) m.get("minimaPointsCluster")).get("rootNode"))));
    }
    return new MindTarget(integer(img, "width"), integer(img, "height"), tracking, matching);
  }

  private static List<FeaturePoint> points(List<?> raw) {
    List<FeaturePoint> out = new ArrayList<>(raw.size());
    for (Object o : raw) {
      Map<?, ?> m = (Map<?, ?>) o;
      List<?> d = list(m, "descriptors");
      int[] words = new int[d.size()];
      for (int i = 0; i < words.length; i++) {
        words[i] = (int) (long) (Long) d.get(i);
      }
      out.add(
          new FeaturePoint(
              (Boolean) m.get("maxima"),
              number(m, "x"),
              number(m, "y"),
              number(m, "scale"),
              number(m, "angle"),
              words));
    }
    return out;
  }

  private static ClusterNode node(Map<?, ?> m) {
    Object c = m.get("centerPointIndex");
    int center =
        c == null ? -1 : c instanceof String s ? Integer.parseInt(s) : (int) (long) (Long) c;
    boolean leaf = (Boolean) m.get("leaf");
    if (leaf) {
      List<?> idx = list(m, "pointIndexes");
      int[] ids = new int[idx.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = (int) (long) (Long) idx.get(i);
      }
      return new ClusterNode(center, true, ids, List.of());
    }
    List<ClusterNode> children = new ArrayList<>();
    for (Object o : list(m, "children")) {
      children.add(node((Map<?, ?>) o));
    }
    return new ClusterNode(center, false, new int[0], children);
  }

  private static List<?> list(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      throw new NullPointerException("missing " + key);
    }
    return (List<?>) v;
  }

  private static int integer(Map<?, ?> m, String key) {
    return Math.toIntExact((Long) m.get(key));
  }

  private static double number(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v instanceof Long l) {
      return l;
    }
    return (Double) v;
  }

  /**
   * Generic value: Map (insertion ordered), List, Long, Double, String, byte[], Boolean or null.
   */
  private static Object readValue(MessageUnpacker u) throws IOException {
    MessageFormat f = u.getNextFormat();
    switch (f.getValueType()) {
      case NIL:
        u.unpackNil();
        return null;
      case BOOLEAN:
        return u.unpackBoolean();
      case INTEGER:
        if (f == MessageFormat.UINT64) {
          return u.unpackBigInteger().doubleValue();
        }
        return u.unpackLong();
      case FLOAT:
        return u.unpackDouble();
      case STRING:
        return u.unpackString();
      case BINARY:
        return u.readPayload(u.unpackBinaryHeader());
      case ARRAY:
        {
          int n = u.unpackArrayHeader();
          List<Object> l = new ArrayList<>(Math.min(n, 1 << 16));
          for (int i = 0; i < n; i++) {
            l.add(readValue(u));
          }
          return l;
        }
      case MAP:
        {
          int n = u.unpackMapHeader();
          Map<Object, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            Object k = readValue(u);
            m.put(k, readValue(u));
          }
          return m;
        }
      default:
        throw new IOException("unexpected MessagePack " + f + " in a .mind file");
    }
  }
}
