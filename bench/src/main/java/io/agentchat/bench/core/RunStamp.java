package io.agentchat.bench.core;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The identity of one run: a random id that goes into every agent name and bench message, so that a
 * run never counts replayed history or traffic of another run on the same server, and the time it
 * started.
 *
 * @param id six lower-case letters and digits
 * @param startedAt ISO-8601 UTC, to the second
 */
public record RunStamp(String id, String startedAt) {

  /** A new id, stamped now. */
  public static RunStamp now() {
    SecureRandom random = new SecureRandom();
    StringBuilder id = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      id.append(Character.forDigit(random.nextInt(36), 36));
    }
    return new RunStamp(id.toString(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }
}
