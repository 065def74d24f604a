package com.arservice.backup;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** The base backup schedule: a 5-field cron expression, in UTC. */
public final class BackupSchedule {
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private final ExecutionTime schedule;

  /** {@code cron} is already validated by the configuration. */
  public BackupSchedule(String cron) {
    this.schedule = ExecutionTime.forCron(CRON.parse(cron));
  }

  /** The first run strictly after {@code time}. */
  public Instant next(Instant time) {
    return schedule
        .nextExecution(time.atZone(ZoneOffset.UTC))
        .map(ZonedDateTime::toInstant)
        .orElseThrow(() -> new IllegalStateException("the backup schedule has no next run"));
  }

  /** The time between the next two runs after {@code time}. */
  public Duration interval(Instant time) {
    Instant next = next(time);
    return Duration.between(next, next(next));
  }
}
