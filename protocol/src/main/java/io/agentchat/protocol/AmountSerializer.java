package io.agentchat.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Writes an amount as a JSON number without trailing zeros: {@code 1500}, not {@code 1.5E+3} or
 * {@code 1500.00}, which is what a JavaScript peer prints for the same value. Amounts too large for
 * a long, or with a fraction, are written as {@link BigDecimal#toString()} gives them, as the
 * marketplace has always written them.
 */
final class AmountSerializer extends StdSerializer<BigDecimal> {
  private static final long serialVersionUID = 1L;

  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  AmountSerializer() {
    super(BigDecimal.class);
  }

  /**
   * The amount without trailing zeros, so that an amount read back from the wire equals the one
   * written ({@code BigDecimal.equals} compares scale too).
   */
  static BigDecimal normalized(BigDecimal amount) {
    return amount == null ? null : amount.stripTrailingZeros();
  }

  @Override
  public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    BigDecimal plain = value.stripTrailingZeros();
    if (plain.scale() <= 0 && plain.abs().compareTo(LONG_MAX) < 0) {
      gen.writeNumber(plain.longValueExact());
    } else {
      gen.writeNumber(plain);
    }
  }
}
