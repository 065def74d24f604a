package com.arservice.pipeline;

import com.arservice.project.StepEvent;

/** Receives the pipeline's step events as they happen (from the compiling thread). */
@FunctionalInterface
public interface StepListener {
  void onStep(StepEvent event);
}
