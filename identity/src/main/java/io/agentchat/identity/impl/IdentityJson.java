package io.agentchat.identity.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** JSON as the reference writes identity files: {@code JSON.stringify(value, null, 2)}. */
public final class IdentityJson {
  /** Shared, thread-safe mapper for identity files. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /** JavaScript's {@code Date.toISOString()}: UTC, always three fraction digits. */
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final ObjectWriter WRITER = MAPPER.writer(javaScriptLayout());

  private IdentityJson() {}

  /**
   * Renders a value with 2-space indent, {@code "key": value} and LF line ends, plus a final LF.
   */
  public static byte[] render(JsonNode value) {
    try {
      return (WRITER.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      // A tree of plain nodes always serialises; reaching here is a bug, not bad input.
      throw new IllegalStateException(e);
    }
  }

  /** Formats an instant as JavaScript's {@code toISOString()} does. */
  public static String isoTime(Instant instant) {
    return ISO_MILLIS.format(instant);
  }

  private static DefaultPrettyPrinter javaScriptLayout() {
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return printer;
  }
}
