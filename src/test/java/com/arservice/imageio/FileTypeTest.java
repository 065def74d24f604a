package com.arservice.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileTypeTest {

  @Test
  void tellsIsoMediaFilesApartByTheirBrandsNotByTheirFtypBox() {
    assertEquals(FileType.HEIC, ftyp("heic", "mif1", "heic", "miaf"));
    assertEquals(FileType.HEIC, ftyp("heix", "mif1", "heix"));
    assertEquals(FileType.HEIC, ftyp("mif1", "mif1", "heic"));
    assertEquals(FileType.HEIC, ftyp("msf1", "msf1", "hevc"));
    assertEquals(FileType.AVIF, ftyp("avif", "avif", "mif1", "miaf"));
    assertEquals(FileType.AVIF, ftyp("avis", "avis", "msf1"));
    assertEquals(FileType.AVIF, ftyp("mif1", "mif1", "avif"));
    assertEquals(FileType.M4A, ftyp("M4A ", "M4A ", "isom", "iso2"));
    assertEquals(FileType.M4A, ftyp("M4B ", "M4B ", "isom"));
    assertEquals(FileType.MOV, ftyp("qt  ", "qt  "));
    for (String video : new String[] {"isom", "mp41", "mp42", "avc1", "iso5", "dash", "3gp5"}) {
      assertEquals(FileType.MP4, ftyp(video, "isom", "iso2", "avc1", "mp41"), video);
    }
  }

  @Test
  void saysWhetherAFileIsAnImageAVideoOrAudio() {
    assertEquals(FileType.Media.IMAGE, ftyp("heic", "mif1").media());
    assertEquals(FileType.Media.AUDIO, ftyp("M4A ", "isom").media());
    assertEquals(FileType.Media.VIDEO, ftyp("mp42", "isom").media());
    assertEquals(Optional.of(ImageFormat.HEIC), ftyp("heic", "mif1").imageFormat());
    assertEquals(Optional.empty(), ftyp("M4A ", "isom").imageFormat());
  }

  @Test
  void knowsTheOtherSignaturesByTheirMagicBytes() {
    assertEquals(Optional.of(FileType.TIFF), FileType.sniff(ascii("II*\0........")));
    assertEquals(Optional.of(FileType.TIFF), FileType.sniff(ascii("MM\0*........")));
    assertEquals(Optional.of(FileType.WEBP), FileType.sniff(ascii("RIFF\0\0\0\0WEBPVP8 ")));
    assertEquals(Optional.of(FileType.GIF), FileType.sniff(ascii("GIF89a")));
    assertEquals(
        Optional.of(FileType.WEBM),
        FileType.sniff(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3}));
    assertEquals(Optional.empty(), FileType.sniff(ascii("RIFF\0\0\0\0WAVEfmt ")));
    assertEquals(Optional.empty(), FileType.sniff(ascii("\0\0\0\0ftyp"))); // no brand
  }

  /** An ftyp box with a major brand and compatible brands, followed by the start of another box. */
  private static FileType ftyp(String major, String... compatible) {
    ByteBuffer b = ByteBuffer.allocate(FileType.HEAD_BYTES);
    b.putInt(16 + 4 * compatible.length).put(ascii("ftyp")).put(ascii(major)).putInt(0);
    for (String brand : compatible) {
      b.put(ascii(brand));
    }
    b.putInt(8).put(ascii("free"));
    return FileType.sniff(b.array()).orElseThrow();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
