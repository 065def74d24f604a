// Build step (pom.xml, generate-resources; run as a source file with XZ for Java on the class
// path):
//   java -cp xz.jar src/build/PostgresArchive.java OUT.txz ARCH=ZONKY.jar...
// packs zonky's PostgreSQL builds for several Linux architectures into one xz-compressed tar, the
// embedded server's resource (db/PostgresBinaries reads it). share/ is the same for every
// architecture, so it is stored once; each architecture's bin/ and lib/ go under ARCH/. One solid
// xz stream whose window spans both copies of ICU's data library (26 MB, the same data in each
// build), stored first and side by side, keeps the second copy almost free: one archive of both
// is 9 MB smaller than the two of zonky. Development files (static libraries, pgxs) are left out.
// OUT.txz.sha256, written last, names the archive, so that a start need not read 20 MB to know it.

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

public class PostgresArchive {
  record Entry(String name, char type, int mode, String link, byte[] data) {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Map<String, List<Entry>> builds = new LinkedHashMap<>();
    for (String arg : Arrays.asList(args).subList(1, args.length)) {
      String[] archAndJar = arg.split("=", 2);
      builds.put(archAndJar[0], read(Path.of(archAndJar[1])));
    }
    List<Entry> share = null;
    List<Entry> first = new ArrayList<>();
    List<Entry> rest = new ArrayList<>();
    for (Map.Entry<String, List<Entry>> build : builds.entrySet()) {
      List<Entry> own =
          build.getValue().stream().filter(e -> e.name().startsWith("share/")).toList();
      if (share == null) {
        share = own;
      } else if (!same(share, own)) {
        throw new IOException(
            "share/ of "
                + build.getKey()
                + " differs from the first build's: it cannot be stored once");
      }
      for (Entry e : build.getValue()) {
        if (e.name().startsWith("share/") || unused(e.name())) {
          continue;
        }
        Entry moved =
            new Entry(build.getKey() + "/" + e.name(), e.type(), e.mode(), e.link(), e.data());
        (e.name().startsWith("lib/libicudata.so.") && e.type() == '0' ? first : rest).add(moved);
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "postgres", ".tmp");
    LZMA2Options options = new LZMA2Options(6);
    options.setDictSize(32 << 20);
    try (OutputStream xz = new XZOutputStream(Files.newOutputStream(tmp), options)) {
      for (List<Entry> part : List.of(first, share, rest)) {
        for (Entry e : part) {
          write(xz, e);
        }
      }
      xz.write(new byte[1024]);
    }
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out));
      Files.writeString(Path.of(out + ".sha256"), HexFormat.of().formatHex(digest) + "\n");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean unused(String name) {
    return name.endsWith(".a")
        || name.startsWith("lib/pkgconfig")
        || name.startsWith("lib/postgresql/pgxs");
  }

  private static boolean same(List<Entry> a, List<Entry> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      Entry x = a.get(i);
      Entry y = b.get(i);
      if (!x.name().equals(y.name())
          || x.type() != y.type()
          || !Arrays.equals(x.data(), y.data())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The entries of the one .txz in a zonky jar: files, folders and symbolic links (all zonky's
   * builds have).
   */
  private static List<Entry> read(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      var txz =
          zip.stream()
              .filter(z -> z.getName().endsWith(".txz"))
              .findFirst()
              .orElseThrow(() -> new IOException(jar + " has no .txz"));
      List<Entry> entries = new ArrayList<>();
      try (InputStream in = new XZInputStream(zip.getInputStream(txz))) {
        byte[] header;
        while ((header = in.readNBytes(512)).length == 512 && header[0] != 0) {
          char type = (char) (header[156] == 0 ? '0' : header[156]);
          if (type != '0' && type != '5' && type != '2') {
            throw new IOException(jar + ": tar entry type " + type + " is not supported");
          }
          int size = (int) octal(header, 124, 12);
          byte[] data = in.readNBytes(size);
          in.readNBytes((512 - size % 512) % 512);
          entries.add(
              new Entry(
                  text(header, 0, 100),
                  type,
                  (int) octal(header, 100, 8),
                  text(header, 157, 100),
                  data));
        }
      }
      return entries;
    }
  }

  private static void write(OutputStream out, Entry e) throws IOException {
    byte[] h = new byte[512];
    put(h, 0, 100, e.name());
    put(h, 100, 8, String.format("%07o", e.mode()));
    put(h, 108, 8, "0000000");
    put(h, 116, 8, "0000000");
    put(h, 124, 12, String.format("%011o", e.data().length));
    put(h, 136, 12, "00000000000");
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) e.type();
    put(h, 157, 100, e.link());
    put(h, 257, 8, "ustar\00000");
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, 8, String.format("%06o", sum) + "\0 ");
    out.write(h);
    out.write(e.data());
    out.write(new byte[(512 - e.data().length % 512) % 512]);
  }

  private static void put(byte[] h, int at, int length, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > length) {
      throw new IOException("too long for a tar header: " + value);
    }
    System.arraycopy(bytes, 0, h, at, bytes.length);
  }

  private static String text(byte[] h, int at, int length) {
    int end = at;
    while (end < at + length && h[end] != 0) {
      end++;
    }
    return new String(h, at, end - at, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] h, int at, int length) {
    String s = text(h, at, length).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }
}
