package com.arservice.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Where finished projects' artifacts live. The pipeline always writes into a local work folder; a
 * store makes that folder's files the project's artifacts in one step. {@link LocalArtifactStore}
 * is a folder on a (possibly shared) disk; an S3-compatible store would upload in {@code publish}
 * and list/delete by prefix, with nothing in the pipeline changing.
 */
public interface ArtifactStore {
  /**
   * The public path under which the service serves artifacts, as {@code <PUBLIC_PATH>/<id>/<file>}.
   */
  String PUBLIC_PATH = "/objects/ar-storage";

  /** A new, private scratch folder on local disk for one compile attempt of {@code project}. */
  Path newWorkFolder(UUID project) throws IOException;

  /**
   * Makes the files of {@code workFolder} the project's artifacts at once, replacing earlier ones.
   */
  void publish(UUID project, Path workFolder) throws IOException;

  /** Removes all of a project's artifacts; returns how many files went (0 when there were none). */
  int delete(UUID project) throws IOException;

  /** One artifact's bytes, if the project has it. */
  Optional<byte[]> read(UUID project, String file) throws IOException;

  /** Deletes a work folder that will not be published (null is fine). */
  void discard(Path workFolder);

  /**
   * Deletes what crashed attempts left in local work space (work folders, folders replaced by a
   * publish) when nothing in them changed since {@code before}; returns how many folders went.
   */
  int removeLeftovers(Instant before) throws IOException;
}
