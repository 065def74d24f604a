package com.arservice.e2e;

import com.arservice.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An ffmpeg (for {@code FFMPEG_PATH}) that notes it started, then waits to be let go before it runs
 * the real one: a compilation held in its video step for as long as a test needs, without sleeping.
 */
final class HeldFfmpeg {
  final Path path;
  private final Path started;
  private final Path release;

  HeldFfmpeg(Path dir) throws IOException {
    path = dir.resolve("held-ffmpeg");
    started = dir.resolve("held-ffmpeg.started");
    release = dir.resolve("held-ffmpeg.release");
    Files.writeString(
        path,
        "#!/bin/sh\n: > \"$0.started\"\nwhile [ ! -e \"$0.release\" ]; do sleep 0.05; done\n"
            + "exec ffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  void awaitStarted() {
    Await.until("a compilation is held in its video step", () -> Files.exists(started));
  }

  void release() throws IOException {
    Files.createFile(release);
  }
}
