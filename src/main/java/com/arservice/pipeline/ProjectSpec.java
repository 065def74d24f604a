package com.arservice.pipeline;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * What to compile: the project's id, its resolved upload files (one photo per target, videos and
 * masks either empty or one per photo), the generated mask shape, the public view URL and the
 * viewer settings.
 */
public record ProjectSpec(UUID id, List<Path> photos, List<Path> videos, List<Path> masks, String shapeType,
                          String viewUrl, JsonObject config) {
}
