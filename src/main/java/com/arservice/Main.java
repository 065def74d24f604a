package com.arservice;

import com.arservice.backup.BackupCommands;
import com.arservice.config.AppConfig;
import com.arservice.config.ConfigException;
import com.arservice.config.ConfigKeys;
import com.arservice.config.ConfigLoader;
import com.arservice.metrics.Metrics;
import com.arservice.mind.cli.BenchCommand;
import com.arservice.mind.cli.CompileCommand;
import com.arservice.mind.cli.QualityCommand;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Command line entry point: {@code serve} (the default) reads the configuration, migrates the
 * database and deploys the verticles; {@code config} prints the effective configuration; {@code
 * compile} and {@code bench} run the MindAR target compiler on its own; {@code quality} predicts
 * how well photos work as targets.
 */
public final class Main {
  private static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar ar-service.jar [serve] [--conf FILE] [--role all|api|worker]   run the service",
          "       java -jar ar-service.jar config [--conf FILE]    print the effective configuration",
          "       java -jar ar-service.jar compile [-o OUT.mind] [--json] IMAGE...   compile MindAR targets",
          "       java -jar ar-service.jar bench [--runs N] IMAGE...  time the target compiler",
          "       java -jar ar-service.jar adopt --dry-run|--apply [--requeue] [--drop-pgboss] [--timezone ZONE]",
          "                                  convert the old Node service's tables in place",
          "       java -jar ar-service.jar import --from postgresql://... [--dry-run] [--requeue] [--timezone ZONE]",
          "                                  copy the old Node service's projects from another database",
          "       java -jar ar-service.jar recompile --all|ID... [--mode reference] [--dry-run]",
          "                                  compile projects again with today's compiler, keeping their ids",
          "       java -jar ar-service.jar restore --from DIR|s3 [--until 2026-05-01T12:00:00Z]",
          "                                  put a backup back into an empty AR_DATA_DIR",
          "       java -jar ar-service.jar backup verify [--from DIR|s3]   restore the latest backup aside and check it",
          "       (each also takes --conf FILE)",
          "       java -jar ar-service.jar quality [--json] [--heatmap DIR] IMAGE...   predict how well photos work as targets");

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    String command = rest.isEmpty() || rest.get(0).startsWith("-") ? "serve" : rest.remove(0);
    return switch (command) {
      case "serve" -> withConfig(rest, false, err, (config, extra) -> serve(config, err));
      case "config" ->
          withConfig(
              rest,
              false,
              err,
              (config, extra) -> {
                out.println(config.describe().encode());
                return 0;
              });
      case "adopt" ->
          withConfig(
              rest, true, err, (config, extra) -> TakeoverCommands.adopt(config, extra, out));
      case "import" ->
          withConfig(
              rest, true, err, (config, extra) -> TakeoverCommands.importFrom(config, extra, out));
      case "recompile" ->
          withConfig(
              rest, true, err, (config, extra) -> TakeoverCommands.recompile(config, extra, out));
      case "restore" ->
          withConfig(
              rest, true, err, (config, extra) -> BackupCommands.restore(config, extra, out));
      case "backup" ->
          withConfig(rest, true, err, (config, extra) -> BackupCommands.backup(config, extra, out));
      case "compile" -> CompileCommand.run(rest.toArray(String[]::new), out, err);
      case "bench" -> BenchCommand.run(rest.toArray(String[]::new), out, err);
      case "quality" -> QualityCommand.run(rest.toArray(String[]::new), out, err);
      case "help", "--help", "-h" -> {
        out.println(USAGE);
        yield 0;
      }
      default -> {
        err.println("ar-service: unknown command '" + command + "'\n" + USAGE);
        yield 2;
      }
    };
  }

  /** A command that runs on the loaded configuration, with the arguments left after it. */
  private interface ConfiguredCommand {
    int run(AppConfig config, List<String> extra) throws Exception;
  }

  private static int withConfig(
      List<String> args, boolean takesMore, PrintStream err, ConfiguredCommand command) {
    Path conf = null;
    JsonObject overrides = new JsonObject();
    List<String> extra = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if ("--conf".equals(args.get(i)) && i + 1 < args.size()) {
        conf = Path.of(args.get(++i));
      } else if ("--role".equals(args.get(i)) && i + 1 < args.size()) {
        overrides.put(ConfigKeys.ROLE, args.get(++i));
      } else if (takesMore) {
        extra.add(args.get(i));
      } else {
        err.println("ar-service: unexpected argument '" + args.get(i) + "'\n" + USAGE);
        return 2;
      }
    }
    Vertx probe = Vertx.vertx();
    AppConfig config;
    try {
      config = ConfigLoader.load(probe, conf, overrides).await();
    } catch (ConfigException e) {
      err.println("ar-service: " + e.getMessage());
      return 2;
    } finally {
      probe.close().await();
    }
    try {
      return command.run(config, extra);
    } catch (ConfigException e) {
      err.println("ar-service: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("ar-service: " + e.getMessage());
      return 1;
    }
  }

  /** Runs until SIGTERM or SIGINT, then stops gracefully and returns 0. */
  private static int serve(AppConfig config, PrintStream err) throws Exception {
    Logger log = LoggerFactory.getLogger(Main.class);
    log.info("Configuration: {}", config.describe().encode());
    Application app = Application.start(Metrics.newVertx(), config, java.time.Clock.systemUTC());
    CountDownLatch stop = new CountDownLatch(1);
    // Handling the signals ourselves (instead of only a shutdown hook) lets a stop end with exit
    // code 0.
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "ar-shutdown"));
    stop.await();
    log.info("Stopping: no new requests, letting running work finish");
    app.close();
    return 0;
  }
}
