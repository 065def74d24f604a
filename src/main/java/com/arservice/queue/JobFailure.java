package com.arservice.queue;

import java.util.UUID;

/**
 * A compile job's project failed: what a worker (an attempt ended badly) or the reaper (the job
 * expired for good) tells the projects verticle. It lives with the queue, below the projects, so
 * the reaper can send it.
 *
 * @param transientFailure whether a retry may succeed (then the job goes back to the queue if it
 *     has retries left)
 * @param jobId the attempt's job, ended in the same transaction; null when the job already ended
 * @param workerId the worker holding the job; null with {@code jobId}
 */
public record JobFailure(
    UUID projectId, String errorMessage, boolean transientFailure, UUID jobId, String workerId) {

  /** The job ended already (the reaper failed it); only the project is marked. */
  public static JobFailure ended(UUID projectId, String errorMessage) {
    return new JobFailure(projectId, errorMessage, false, null, null);
  }
}
