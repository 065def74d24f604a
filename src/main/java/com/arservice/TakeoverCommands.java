package com.arservice;

import com.arservice.common.ServiceException;
import com.arservice.config.AppConfig;
import com.arservice.config.ConfigException;
import com.arservice.config.DatabaseUrl;
import com.arservice.db.DatabaseServer;
import com.arservice.db.Migrations;
import com.arservice.db.PgPool;
import com.arservice.legacy.LegacyAdoption;
import com.arservice.legacy.LegacyImport;
import com.arservice.legacy.LegacyReport;
import com.arservice.project.ProjectStore;
import com.arservice.project.ProjectVerticle;
import com.arservice.project.StoredProject;
import com.arservice.project.UploadPaths;
import com.arservice.queue.JobOptions;
import com.arservice.queue.JobStore;
import com.arservice.webhook.WebhookStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The commands that take over from the old Node service: {@code adopt} its database in place,
 * {@code import} its projects from another database, {@code recompile} projects with today's
 * compiler. Each runs against the configured database (starting the embedded one when that is the
 * one configured) and prints what it does.
 */
final class TakeoverCommands {
  /**
   * The marker modes a recompile can ask for: MindAR's own files, or the robust ones (see {@code
   * MarkerMode}).
   */
  static final Set<String> MODES = Set.of("reference", "robust");

  private TakeoverCommands() {}

  /** A command's flags: names with an optional value each. */
  private record Flags(List<String> args) {
    /** Refuses flags the command does not know. */
    Flags known(String... names) {
      for (String a : args) {
        if (a.startsWith("--") && !List.of(names).contains(a)) {
          throw new ConfigException(a, "is not an option of this command");
        }
      }
      return this;
    }

    boolean has(String name) {
      return args.contains(name);
    }

    String value(String name, String fallback) {
      int i = args.indexOf(name);
      if (i < 0) {
        return fallback;
      }
      if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
        throw new ConfigException(name, "needs a value");
      }
      return args.get(i + 1);
    }

    /** Arguments that are neither flags nor flag values. */
    List<String> operands(Set<String> withValue) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        if (withValue.contains(args.get(i))) {
          i++;
        } else if (!args.get(i).startsWith("--")) {
          out.add(args.get(i));
        }
      }
      return out;
    }
  }

  static int adopt(AppConfig config, List<String> args, PrintStream out) throws Exception {
    Flags flags =
        new Flags(args).known("--dry-run", "--apply", "--requeue", "--drop-pgboss", "--timezone");
    if (flags.has("--dry-run") == flags.has("--apply")) {
      throw new ConfigException("adopt", "give either --dry-run or --apply");
    }
    LegacyAdoption.Options options =
        LegacyAdoption.Options.of(
            config.queue(), flags.has("--requeue"), flags.has("--drop-pgboss"), zone(flags));
    try (DatabaseServer db = DatabaseServer.forConfig(config)) {
      DatabaseUrl url = db.url();
      switch (LegacyAdoption.state(url)) {
        case NONE ->
            out.println(
                "Nothing to adopt: "
                    + url.redacted()
                    + " holds no tables of the old Node service.");
        case ADOPTED ->
            out.println(
                "Nothing to adopt: "
                    + url.redacted()
                    + " was adopted "
                    + LegacyAdoption.previous(url));
        case LEGACY -> {
          LegacyReport report =
              flags.has("--apply")
                  ? LegacyAdoption.apply(url, config.storage().artifacts(), options)
                  : LegacyAdoption.plan(url, options);
          report.lines().forEach(out::println);
        }
      }
    }
    return 0;
  }

  static int importFrom(AppConfig config, List<String> args, PrintStream out) throws Exception {
    Flags flags = new Flags(args).known("--from", "--dry-run", "--requeue", "--timezone");
    String source = flags.value("--from", null);
    if (source == null) {
      throw new ConfigException("import", "give --from postgresql://user:pass@host:port/db");
    }
    DatabaseUrl from = DatabaseUrl.parse("--from", source);
    LegacyAdoption.Options options =
        LegacyAdoption.Options.of(config.queue(), flags.has("--requeue"), false, zone(flags));
    try (DatabaseServer db = DatabaseServer.forConfig(config)) {
      ready(db.url());
      LegacyImport.run(
              db.url(), from, config.storage().artifacts(), options, flags.has("--dry-run"))
          .lines()
          .forEach(out::println);
    }
    return 0;
  }

  static int recompile(AppConfig config, List<String> args, PrintStream out) throws Exception {
    Flags flags = new Flags(args).known("--all", "--mode", "--dry-run");
    String mode = flags.value("--mode", config.media().markerMode());
    if (!MODES.contains(mode)) {
      throw new ConfigException("--mode", "must be one of " + MODES);
    }
    List<String> ids = flags.operands(Set.of("--mode"));
    if (flags.has("--all") == !ids.isEmpty()) {
      throw new ConfigException("recompile", "give project ids or --all");
    }
    boolean dryRun = flags.has("--dry-run");
    UploadPaths uploads = new UploadPaths(config.storage().uploads());
    Vertx vertx = Vertx.vertx();
    try (DatabaseServer db = DatabaseServer.forConfig(config)) {
      ready(db.url());
      Pool pool = PgPool.create(vertx, db.url(), 2);
      Clock clock = Clock.systemUTC();
      JobStore jobs = new JobStore(pool, clock, config.queue().lease(), () -> 1.0);
      ProjectStore projects =
          new ProjectStore(
              pool,
              jobs,
              new WebhookStore(pool, clock, false),
              clock,
              JobOptions.DEFAULTS
                  .withRetry(config.queue().retryLimit(), config.queue().retryDelay())
                  .withExpireIn(config.queue().expireIn()));
      List<UUID> chosen = new ArrayList<>();
      if (flags.has("--all")) {
        chosen.addAll(projects.readyIds().await());
      } else {
        for (String id : ids) {
          chosen.add(
              ProjectVerticle.parseId(id)
                  .orElseThrow(
                      () -> new ConfigException("recompile", "'" + id + "' is not a project id")));
        }
      }
      int queued = 0;
      for (UUID id : chosen) {
        String problem = problem(projects, uploads, id);
        if (problem != null) {
          out.println(id + ": skipped, " + problem);
          continue;
        }
        if (!dryRun) {
          try {
            projects.recompile(id, new JsonObject().put("mode", mode)).await();
          } catch (ServiceException e) {
            out.println(id + ": skipped, " + e.getMessage());
            continue;
          }
        }
        queued++;
        out.println(
            id + ": " + (dryRun ? "would be compiled again" : "queued") + " (mode " + mode + ")");
      }
      out.println(
          (dryRun ? "Would queue " : "Queued ")
              + queued
              + " of "
              + chosen.size()
              + " project(s); a running service (role all or worker) compiles them.");
      pool.close().await();
    } finally {
      vertx.close().await();
    }
    return 0;
  }

  /** Why a project cannot be compiled again (its upload files are gone), or null. */
  private static String problem(ProjectStore projects, UploadPaths uploads, UUID id) {
    StoredProject p = projects.find(id).await().orElse(null);
    if (p == null) {
      return "no such project";
    }
    try {
      for (StoredProject.Item item : p.targets()) {
        uploads.resolve("photo", item.photoUrl());
        if (item.videoUrl() != null) {
          uploads.resolve("video", item.videoUrl());
        }
        if (item.maskUrl() != null) {
          uploads.resolve("mask", item.maskUrl());
        }
      }
    } catch (ServiceException e) {
      return "its uploads are no longer in SHARED_UPLOADS_PATH (" + e.getMessage() + ")";
    }
    return null;
  }

  /** Our schema, up to date; a database still holding the old tables must be adopted first. */
  private static void ready(DatabaseUrl url) {
    if (LegacyAdoption.state(url) == LegacyAdoption.State.LEGACY) {
      throw new IllegalStateException(LegacyAdoption.refusal(url));
    }
    Migrations.migrate(url);
  }

  private static String zone(Flags flags) {
    String zone = flags.value("--timezone", LegacyAdoption.DEFAULT_ZONE);
    try {
      return ZoneId.of(zone).getId();
    } catch (DateTimeException e) {
      throw new ConfigException("--timezone", "'" + zone + "' is not a time zone");
    }
  }
}
