package io.agentchat.bench.core;

import io.vertx.core.json.JsonObject;

/**
 * The code and message of an ERROR frame, as reports count them. Read leniently from the JSON, not
 * through the protocol's codec, so that a code this build does not know (another server's) is still
 * counted; a missing member reads as {@code "null"}.
 */
public record Refusal(String code, String message) {

  /** The refusal carried by ERROR frame {@code text}. */
  public static Refusal of(String text) {
    JsonObject frame = FrameScan.parse(text);
    if (frame == null) {
      return new Refusal("null", text);
    }
    return new Refusal(
        String.valueOf(frame.getValue("code")), String.valueOf(frame.getValue("message")));
  }

  @Override
  public String toString() {
    return code + " " + message;
  }
}
