package com.arservice.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip copy of a file beside it ({@code <file>.gz}), for servers that send it to clients that
 * accept gzip instead of compressing per request (the service's artifact route, nginx's {@code
 * gzip_static}). Written whole, then renamed into place; readable by other users like the file.
 */
public final class Gzip {
  private Gzip() {}

  /** Writes {@code file.gz} at the strongest level; returns its path. */
  public static Path writeBeside(Path file) throws IOException {
    return Beside.write(
        file,
        ".gz",
        sink -> {
          try (InputStream in = Files.newInputStream(file);
              OutputStream out =
                  new GZIPOutputStream(sink, 64 * 1024) {
                    {
                      def.setLevel(Deflater.BEST_COMPRESSION);
                    }
                  }) {
            in.transferTo(out);
          }
        });
  }
}
