package com.arservice.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package layers of the service (see README, Layout): every import runs down, never back up,
 * and the image cores stay plain Java. Checked on the main classes only.
 */
@AnalyzeClasses(packages = "com.arservice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** From the top: each layer uses only the layers listed for it. */
  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Application")
          .definedBy("com.arservice")
          .layer("Http")
          .definedBy("com.arservice.http..")
          .layer("Pipeline")
          .definedBy("com.arservice.pipeline..")
          .layer("Legacy")
          .definedBy("com.arservice.legacy..")
          .layer("Viewer")
          .definedBy("com.arservice.viewer..")
          .layer("Health")
          .definedBy("com.arservice.health..")
          .layer("Stores")
          .definedBy(
              "com.arservice.project..",
              "com.arservice.queue..",
              "com.arservice.webhook..",
              "com.arservice.cleanup..",
              "com.arservice.analytics..",
              "com.arservice.backup..",
              "com.arservice.storage..")
          .layer("Media")
          .definedBy("com.arservice.media..")
          .layer("Mind")
          .definedBy("com.arservice.mind..")
          .layer("Platform")
          .definedBy(
              "com.arservice.config..",
              "com.arservice.db..",
              "com.arservice.metrics..",
              "com.arservice.common..")
          .layer("Neutral")
          .definedBy("com.arservice.imageio..", "com.arservice.files..")
          .whereLayer("Http")
          .mayOnlyAccessLayers("Viewer", "Health", "Stores", "Platform", "Neutral")
          .whereLayer("Pipeline")
          .mayOnlyAccessLayers("Viewer", "Stores", "Media", "Mind", "Platform", "Neutral")
          // the takeover from the old service: a converter beside the pipeline
          .whereLayer("Legacy")
          .mayOnlyAccessLayers("Viewer", "Stores", "Mind", "Platform", "Neutral")
          .whereLayer("Viewer")
          .mayOnlyAccessLayers("Stores", "Platform", "Neutral")
          // health asks the media core whether ffmpeg can do what the video step needs
          .whereLayer("Health")
          .mayOnlyAccessLayers("Stores", "Media", "Platform", "Neutral")
          .whereLayer("Stores")
          .mayOnlyAccessLayers("Platform", "Neutral")
          // the image cores know nothing of the service, and neither knows the other
          .whereLayer("Media")
          .mayOnlyAccessLayers("Neutral")
          .whereLayer("Mind")
          .mayOnlyAccessLayers("Neutral")
          .whereLayer("Platform")
          .mayOnlyAccessLayers("Neutral")
          .whereLayer("Neutral")
          .mayNotAccessAnyLayer();

  /** Inside the target compiler: the command line on top, the detector at the bottom. */
  @ArchTest
  static final ArchRule mindLayers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Cli")
          .definedBy("com.arservice.mind.cli..")
          .layer("Compiler")
          .definedBy("com.arservice.mind")
          .layer("Quality")
          .definedBy("com.arservice.mind.quality..")
          .layer("Runtime")
          .definedBy("com.arservice.mind.runtime..")
          .layer("Io")
          .definedBy("com.arservice.mind.io..")
          .layer("Detect")
          .definedBy("com.arservice.mind.detect..")
          .whereLayer("Compiler")
          .mayOnlyAccessLayers("Detect")
          .whereLayer("Quality")
          .mayOnlyAccessLayers("Runtime", "Compiler", "Detect")
          .whereLayer("Runtime")
          .mayOnlyAccessLayers("Compiler", "Detect")
          .whereLayer("Io")
          .mayOnlyAccessLayers("Detect")
          .whereLayer("Detect")
          .mayNotAccessAnyLayer();

  /** No two packages (sub-packages count on their own) use each other, directly or round a loop. */
  @ArchTest
  static final ArchRule noCycles =
      slices().matching("com.arservice.(**)").should().beFreeOfCycles();

  /** The image cores run anywhere plain Java does: in the CLI, in tests, on a worker thread. */
  @ArchTest
  static final ArchRule imageCoresArePlainJava =
      noClasses()
          .that()
          .resideInAnyPackage(
              "com.arservice.mind..",
              "com.arservice.media..",
              "com.arservice.imageio..",
              "com.arservice.files..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.vertx..", "io.micrometer..", "org.postgresql..");
}
