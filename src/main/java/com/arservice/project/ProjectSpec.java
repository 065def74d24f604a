package com.arservice.project;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * What to compile: the project's id, its resolved upload files (one photo per target, videos and
 * masks either empty or one per photo), the generated mask shape, the public view URL and the
 * viewer settings, and the marker mode a recompile asked for (null: the configured one). It belongs
 * to the project, not the pipeline, so the viewer that writes a project's page does not depend on
 * the pipeline that calls it.
 */
public record ProjectSpec(
    UUID id,
    List<Path> photos,
    List<Path> videos,
    List<Path> masks,
    String shapeType,
    String viewUrl,
    JsonObject config,
    String markerMode) {}
