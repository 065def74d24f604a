package com.arservice.legacy;

import com.arservice.files.AtomicMove;
import com.arservice.files.Gzip;
import com.arservice.mind.MindFile;
import com.arservice.mind.MindTarget;
import com.arservice.project.CompileResult;
import com.arservice.storage.ArtifactStore;
import com.arservice.viewer.ViewerPage;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Gives each converted ready project our viewer over its old files: reads the old {@code
 * marker.mind} (made by MindAR's compiler) for the targets' sizes, finds the videos and masks the
 * old pipeline wrote, stores them with the project's items and writes the page data ({@code
 * viewer.json}) beside the old files, which stay as they were.
 */
final class LegacyArtifacts {
  private static final String MARKER = "marker.mind";

  private final Path storage;

  LegacyArtifacts(Path storage) {
    this.storage = storage;
  }

  private record Item(int index, Integer photoWidth, Integer photoHeight, String videoUrl) {}

  /** Returns the ids of ready projects whose files are missing or unreadable, with the reason. */
  List<String> attach(Connection c, List<LegacyConversion.Converted> converted)
      throws SQLException, IOException {
    List<String> problems = new ArrayList<>();
    for (LegacyConversion.Converted p : converted) {
      if (!"ready".equals(p.status())) {
        continue;
      }
      Path dir = storage.resolve(p.legacyId());
      Path marker = dir.resolve(MARKER);
      if (!Files.isRegularFile(marker)) {
        problems.add(p.id() + ": no " + MARKER + " in " + dir);
        continue;
      }
      List<MindTarget> targets;
      try {
        targets = MindFile.read(Files.readAllBytes(marker));
      } catch (IOException | RuntimeException e) {
        problems.add(
            p.id() + ": " + marker + " is not a MindAR target file (" + e.getMessage() + ")");
        continue;
      }
      List<Item> items = items(c, p.id());
      if (targets.size() < items.size()) {
        problems.add(
            p.id()
                + ": "
                + MARKER
                + " holds "
                + targets.size()
                + " targets for "
                + items.size()
                + " photos");
      }
      String base = ArtifactStore.PUBLIC_PATH + "/" + p.id() + "/";
      List<CompileResult.Target> made = new ArrayList<>();
      for (Item item : items.subList(0, Math.min(items.size(), targets.size()))) {
        CompileResult.Target t = target(dir, base, item, targets.get(item.index()));
        made.add(t);
        update(c, p.id(), item.index(), t, targets.get(item.index()));
      }
      writeData(dir, p.id(), c, base, made);
      if (!Files.exists(dir.resolve(MARKER + ".gz"))) {
        Gzip.writeBeside(marker);
      }
    }
    return problems;
  }

  /**
   * The old pipeline fitted the video to the photo and compiled the photo (or a crop of it in its
   * border), so the plane is the photo where the old row knows its size and it fits the target,
   * else the whole target, and the video has the plane's shape.
   */
  private static CompileResult.Target target(Path dir, String base, Item item, MindTarget target) {
    int i = item.index();
    boolean fits =
        item.photoWidth() != null
            && item.photoHeight() != null
            && item.photoWidth() <= target.width()
            && item.photoHeight() <= target.height()
            && item.photoWidth() > 0
            && item.photoHeight() > 0;
    int w = fits ? item.photoWidth() : target.width();
    int h = fits ? item.photoHeight() : target.height();
    String video = existing(dir, "video-" + i + ".mp4", i == 0 ? "video.mp4" : null);
    String mask = existing(dir, "mask-" + i + ".png", i == 0 ? "mask.png" : null);
    boolean hasVideo = video != null && item.videoUrl() != null;
    return new CompileResult.Target(
        w,
        h,
        target.width(),
        target.height(),
        target.width(),
        target.height(),
        target.matchingData().size(),
        target.matchingPointCount(),
        null,
        hasVideo ? base + video : null,
        mask == null ? null : base + mask,
        hasVideo ? w : null,
        hasVideo ? h : null,
        null,
        null,
        null);
  }

  private static String existing(Path dir, String name, String fallback) {
    if (Files.isRegularFile(dir.resolve(name))) {
      return name;
    }
    return fallback != null && Files.isRegularFile(dir.resolve(fallback)) ? fallback : null;
  }

  private static List<Item> items(Connection c, UUID id) throws SQLException {
    List<Item> out = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT item_index, photo_width, photo_height, video_url FROM public.ar_project_items "
                + "WHERE project_id = ? ORDER BY item_index")) {
      st.setObject(1, id);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Item(
                  rs.getInt(1),
                  (Integer) rs.getObject(2),
                  (Integer) rs.getObject(3),
                  rs.getString(4)));
        }
      }
    }
    return out;
  }

  private static void update(
      Connection c, UUID id, int index, CompileResult.Target t, MindTarget target)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE public.ar_project_items SET artifacts = ?::jsonb, keyframes = ?, points = ?, "
                + "photo_width = ?, photo_height = ? WHERE project_id = ? AND item_index = ?")) {
      JsonObject artifacts = t.artifacts();
      artifacts.remove("photo");
      st.setString(1, artifacts.encode());
      st.setInt(2, target.matchingData().size());
      st.setInt(3, target.matchingPointCount());
      st.setInt(4, t.photoWidth());
      st.setInt(5, t.photoHeight());
      st.setObject(6, id);
      st.setInt(7, index);
      st.executeUpdate();
    }
  }

  private static void writeData(
      Path dir, UUID id, Connection c, String base, List<CompileResult.Target> targets)
      throws SQLException, IOException {
    String viewUrl;
    JsonObject config;
    try (PreparedStatement st =
        c.prepareStatement("SELECT view_url, config::text FROM public.ar_projects WHERE id = ?")) {
      st.setObject(1, id);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        viewUrl = rs.getString(1);
        config = new JsonObject(rs.getString(2));
      }
    }
    byte[] data =
        ViewerPage.data(id, viewUrl, config, base, targets)
            .encode()
            .getBytes(StandardCharsets.UTF_8);
    // written whole, then renamed: a viewer request never reads half of it; readable by nginx
    Path tmp =
        Files.createTempFile(
            dir,
            ".viewer",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    try {
      Files.write(tmp, data);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      AtomicMove.move(tmp, dir.resolve(ViewerPage.DATA_FILE), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
