package io.agentchat.bench.core;

import io.vertx.core.json.JsonObject;

/** What one run measured, as the command prints it: human text, or one JSON object. */
public interface LoadReport {
  /** The report as one JSON object. */
  JsonObject toJson();

  /** The report as lines of human text. */
  String toText();

  /**
   * Why the run measured nothing worth reporting as a success, printed after the report with exit
   * status {@link LoadCommand#FAILED}; null when the run measured what it set out to.
   */
  default String shortfall() {
    return null;
  }
}
