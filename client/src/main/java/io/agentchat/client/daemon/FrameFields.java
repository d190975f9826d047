package io.agentchat.client.daemon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The top-level scalar members of one JSON object, read with Jackson's streaming parser only: the
 * primitives read every new inbox line, and Jackson's data binding costs more class loading than an
 * agent's {@code wait} should pay on each start.
 */
final class FrameFields {
  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, Object> values;

  private FrameFields(Map<String, Object> values) {
    this.values = values;
  }

  /** The object's top-level strings, numbers (as long) and booleans; null if not a JSON object. */
  static FrameFields parse(String text) {
    Map<String, Object> values = new HashMap<>();
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (value) {
          case VALUE_STRING -> values.put(name, p.getText());
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> values.put(name, p.getValueAsLong());
          case VALUE_TRUE -> values.put(name, Boolean.TRUE);
          case VALUE_FALSE -> values.put(name, Boolean.FALSE);
          case START_OBJECT, START_ARRAY -> p.skipChildren();
          default -> {
            // null: absent
          }
        }
      }
      return token == JsonToken.END_OBJECT ? new FrameFields(values) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A string member, or null. */
  String text(String name) {
    return values.get(name) instanceof String s ? s : null;
  }

  /** A number member, or {@code otherwise}. */
  long number(String name, long otherwise) {
    return values.get(name) instanceof Long l ? l : otherwise;
  }

  /** True when the member is {@code true}. */
  boolean flag(String name) {
    return Boolean.TRUE.equals(values.get(name));
  }
}
