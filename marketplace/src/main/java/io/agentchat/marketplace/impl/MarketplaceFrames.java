package io.agentchat.marketplace.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentchat.protocol.FrameCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Builds marketplace server frames with the reference's key order: type, ts, then fields. */
final class MarketplaceFrames {
  private MarketplaceFrames() {}

  static JsonObject frame(String type, long ts) {
    return new JsonObject().put("type", type).put("ts", ts);
  }

  /** An amount as a JSON number without trailing zeros (what a JavaScript peer would print). */
  static Number amount(BigDecimal amount) {
    if (amount == null) {
      return null;
    }
    BigDecimal plain = amount.stripTrailingZeros();
    if (plain.scale() <= 0 && plain.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
      return plain.longValueExact();
    }
    return plain;
  }

  /** A Jackson tree value as a Vert.x JSON value. */
  @SuppressWarnings("unchecked")
  static Object toJsonValue(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isObject()) {
      return new JsonObject(FrameCodec.mapper().convertValue(v, Map.class));
    }
    if (v.isArray()) {
      return new JsonArray(FrameCodec.mapper().convertValue(v, List.class));
    }
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
    }
    return v.decimalValue();
  }
}
