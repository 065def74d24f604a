package com.arservice.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompileStepTest {

  @Test
  void namesTheStepsInTheOrderTheyRunAndTheLogShows() {
    assertEquals(
        List.of(
            "validate", "photo", "border", "masks", "video", "marker", "quality", "viewer", "qr"),
        Arrays.stream(CompileStep.values()).map(CompileStep::logName).toList());
  }

  @Test
  void movesTheProgressForwardWithEveryStepWithoutReaching100BeforeTheProjectIsReady() {
    int previous = 0;
    for (CompileStep step : CompileStep.values()) {
      assertTrue(step.progress() > previous, step.logName());
      previous = step.progress();
    }
    assertTrue(previous < 100);
  }

  @Test
  void findsAStepByItsLoggedName() {
    assertEquals(CompileStep.MARKER, CompileStep.fromLogName("marker"));
    assertThrows(IllegalArgumentException.class, () -> CompileStep.fromLogName("done"));
  }
}
