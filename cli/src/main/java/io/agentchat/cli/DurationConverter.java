package io.agentchat.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration flag: a bare number is seconds ({@code 30}, {@code 1.5}), or a number with the
 * unit {@code ms}, {@code s} or {@code m} ({@code 500ms}, {@code 1.5s}, {@code 2m}). Nothing below
 * a millisecond, nothing negative: the server's timers count whole milliseconds, and a fraction
 * that rounded to {@code 0} could silently disable a flag where {@code 0} means "off". Stateless
 * and thread-safe.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  /** The accepted forms, as a user reads them in an error. */
  private static final String FORMS =
      "a number of seconds (30) or a number with ms, s or m (500ms, 1.5s, 2m)";

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");

  /**
   * Converts {@code value}.
   *
   * @throws TypeConversionException with a message that completes a sentence starting with the
   *     flag's name ("--x must be …"), quoting the value
   */
  @Override
  public Duration convert(String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new TypeConversionException("must be " + FORMS + "; got \"" + value + "\"");
    }
    BigDecimal millis = new BigDecimal(m.group(1)).multiply(millisPer(m.group(2)));
    try {
      return Duration.ofMillis(millis.longValueExact());
    } catch (ArithmeticException e) {
      // longValueExact refuses both a fraction of a millisecond and a count past a long.
      throw new TypeConversionException(
          (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
                  ? "is too long"
                  : "must be a whole number of milliseconds")
              + "; got \""
              + value
              + "\"");
    }
  }

  private static BigDecimal millisPer(String unit) {
    return switch (unit == null ? "s" : unit) {
      case "ms" -> BigDecimal.ONE;
      case "s" -> BigDecimal.valueOf(1_000);
      default -> BigDecimal.valueOf(60_000);
    };
  }
}
