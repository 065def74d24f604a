package com.arservice.media;

/**
 * Asked while long media work runs (between pipeline steps, and every few hundred milliseconds
 * while a tool runs): once it answers true the work stops and its tools are killed, e.g. because
 * the job's attempt ran past its expiry and must end before the job is handed to another worker.
 * Must be cheap and thread-safe.
 */
@FunctionalInterface
public interface StopSignal {
  /** Never asks to stop. */
  StopSignal NEVER = () -> false;

  /** Whether the work should stop now. */
  boolean stopRequested();
}
