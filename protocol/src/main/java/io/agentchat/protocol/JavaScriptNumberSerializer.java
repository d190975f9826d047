package io.agentchat.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes a double the way JavaScript prints it ({@code 1700000000000}, not {@code 1.7E12}), so the
 * value a peer parses is the value that was signed.
 */
final class JavaScriptNumberSerializer extends StdSerializer<Double> {
  private static final long serialVersionUID = 1L;

  JavaScriptNumberSerializer() {
    super(Double.class);
  }

  @Override
  public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    gen.writeNumber(JavaScriptText.number(value));
  }
}
