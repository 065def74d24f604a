package com.arservice.pipeline;

import com.arservice.common.CompileStep;
import com.arservice.imageio.ImageInputException;
import com.arservice.media.MediaException;
import com.arservice.media.StopSignal;
import com.arservice.project.StepEvent;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * Runs the steps of one compile attempt: asks the stop signal before each, reports it to the
 * listener as started, then completed (with its details and progress) or failed, and turns its
 * failure into a {@link PipelineException}.
 */
final class StepRunner {

  /** A step's work: returns what later steps need and may add details for the log. */
  interface Work<T> {
    T run(JsonObject details) throws MediaException, ImageInputException, IOException;
  }

  /** A step's work that later steps need nothing from but its files. */
  interface Action {
    void run(JsonObject details) throws MediaException, ImageInputException, IOException;
  }

  private final StepListener listener;
  private final StopSignal stop;

  StepRunner(StepListener listener, StopSignal stop) {
    this.listener = listener;
    this.stop = stop;
  }

  /** Runs {@code step} and returns its result (like a {@code Callable}). */
  <T> T call(CompileStep step, Work<T> work) throws PipelineException {
    if (stop.stopRequested()) {
      throw new PipelineException(CompilePipeline.TOO_SLOW, true, null);
    }
    listener.onStep(StepEvent.started(step));
    long t0 = System.nanoTime();
    JsonObject details = new JsonObject();
    T result;
    try {
      result = work.run(details);
    } catch (OutOfMemoryError e) {
      // the step's buffers are garbage once it has unwound; the same files would exhaust memory
      // again
      throw failed(step, t0, CompilePipeline.TOO_BIG, false, e);
    } catch (MediaException | ImageInputException | IOException | RuntimeException e) {
      throw failed(step, t0, e);
    }
    listener.onStep(StepEvent.completed(step, ms(t0), details));
    return result;
  }

  /** Runs {@code step}, which returns nothing (like a {@code Runnable}). */
  void run(CompileStep step, Action work) throws PipelineException {
    call(
        step,
        details -> {
          work.run(details);
          return null;
        });
  }

  private PipelineException failed(CompileStep step, long t0, Exception e) {
    if (MediaException.isDiskFull(e)) {
      return failed(step, t0, MediaException.DISK_FULL, true, e);
    }
    if (e instanceof MediaException m) {
      return failed(step, t0, m.reason(), m.isTransient(), e);
    }
    if (e instanceof ImageInputException) {
      return failed(step, t0, e.getMessage(), false, e);
    }
    if (e instanceof IOException) {
      return failed(
          step,
          t0,
          "The files of the project could not be written; it will be tried again",
          true,
          e);
    }
    return failed(step, t0, "An unexpected error stopped the " + step.logName() + " step", true, e);
  }

  private PipelineException failed(
      CompileStep step, long t0, String reason, boolean transientFailure, Throwable e) {
    listener.onStep(StepEvent.failed(step, ms(t0), reason));
    return new PipelineException(reason, transientFailure, e);
  }

  private static int ms(long t0) {
    return (int) ((System.nanoTime() - t0) / 1_000_000);
  }
}
