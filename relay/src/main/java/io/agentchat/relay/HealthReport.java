package io.agentchat.relay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of a server's parts, as {@link HealthSource} reports it.
 *
 * @param parts each part, in start order
 * @param sections extra members of the {@code /health} body (e.g. {@code proposals}), each a
 *     JSON-compatible value (maps, lists, strings, numbers, booleans)
 */
public record HealthReport(List<Part> parts, Map<String, Object> sections) {

  public HealthReport {
    parts = List.copyOf(parts);
    sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
  }

  /** Where a part stands. */
  public enum State {
    /** Not ready yet (first start, or a retry after a failure). */
    STARTING,
    /** Serving. */
    READY,
    /** Was ready, or tried to be, and cannot serve now. */
    UNAVAILABLE
  }

  /**
   * One part of the server.
   *
   * @param name short name ({@code database}, {@code marketplace})
   * @param state where it stands
   * @param detail what an operator should know (where the data lives, why it is unavailable), or
   *     null
   */
  public record Part(String name, State state, String detail) {
    public Part {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(state, "state");
    }
  }
}
