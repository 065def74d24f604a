package com.arservice.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Records cross the local event bus as they are, both ways, and registering twice is harmless. */
@ExtendWith(VertxExtension.class)
class LocalCodecsTest {
  private record Question(String text, List<Integer> numbers) {}

  private record Answer(Question question) {}

  @Test
  void aRecordAndItsAnswerArriveAsTheSameObjectsAndJsonStillTravelsAsBefore(Vertx vertx) {
    LocalCodecs.register(vertx);
    LocalCodecs.register(vertx);
    vertx.eventBus().<Question>consumer("q", m -> m.reply(new Answer(m.body())));
    vertx.eventBus().<JsonObject>consumer("j", m -> m.reply(m.body().copy().put("seen", true)));

    Question question = new Question("how many?", List.of(1, 2));
    Answer answer = vertx.eventBus().<Answer>request("q", question).await().body();
    assertSame(question, answer.question());
    assertEquals(
        new JsonObject().put("a", 1).put("seen", true),
        vertx.eventBus().<JsonObject>request("j", new JsonObject().put("a", 1)).await().body());
  }
}
