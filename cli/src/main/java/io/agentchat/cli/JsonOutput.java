package io.agentchat.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ServerFrame;
import java.util.List;

/**
 * JSON for people and scripts: laid out like JavaScript's {@code JSON.stringify(value, null, 2)},
 * which is what the reference CLI prints, with the protocol's snake_case field names.
 */
final class JsonOutput {
  private static final ObjectWriter PRETTY;

  /** Writes each frame of a list with its type first, as a frame on its own is written. */
  private static final ObjectWriter PRETTY_FRAMES;

  static {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    PRETTY = FrameCodec.mapper().writer(printer);
    // A list's element type is erased at run time; without it Jackson would drop the type ids.
    PRETTY_FRAMES = PRETTY.forType(new TypeReference<List<ServerFrame>>() {});
  }

  private JsonOutput() {}

  /** The value as indented JSON text. */
  static String pretty(Object value) {
    return write(PRETTY, value);
  }

  /** Server frames as an indented JSON array, each frame as the server sends it. */
  static String prettyFrames(List<? extends ServerFrame> frames) {
    return write(PRETTY_FRAMES, frames);
  }

  private static String write(ObjectWriter writer, Object value) {
    try {
      return writer.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON: " + e.getOriginalMessage(), e);
    }
  }
}
