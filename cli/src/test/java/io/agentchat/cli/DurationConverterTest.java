package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** Duration flags: seconds by default, or a number with ms, s or m; nothing else. */
class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @ParameterizedTest(name = "{0} is {1} ms")
  @CsvSource({
    "0, 0",
    "30, 30000",
    "1.5, 1500",
    "0.25, 250",
    "500ms, 500",
    "0ms, 0",
    "1ms, 1",
    "1.5s, 1500",
    "0.001s, 1",
    "45s, 45000",
    "2m, 120000",
    "0.5m, 30000",
    "007, 7000",
  })
  void aBareNumberIsSecondsAndAUnitSaysOtherwise(String value, long millis) {
    assertEquals(Duration.ofMillis(millis), converter.convert(value));
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(
      strings = {
        "", "abc", "-1", "-1s", "5h", "1d", "s", "ms", "1.", ".5s", "1,5s", "1 s", " 1s", "1s ",
        "1S", "1MS", "+1s", "1e3", "1m30s", "NaN", "\u0661s"
      })
  void anythingElseIsRefusedNamingTheAcceptedForms(String value) {
    TypeConversionException refused =
        assertThrows(TypeConversionException.class, () -> converter.convert(value));
    assertEquals(
        "must be a number of seconds (30) or a number with ms, s or m (500ms, 1.5s, 2m);"
            + " got \""
            + value
            + "\"",
        refused.getMessage());
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(strings = {"0.5ms", "1.0005s", "0.0001"})
  void aFractionOfAMillisecondIsRefusedRatherThanRounded(String value) {
    TypeConversionException refused =
        assertThrows(TypeConversionException.class, () -> converter.convert(value));
    assertEquals(
        "must be a whole number of milliseconds; got \"" + value + "\"", refused.getMessage());
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(strings = {"9223372036854775808ms", "153722867280912931m"})
  void aDurationPastWhatTheTimersCountIsRefused(String value) {
    TypeConversionException refused =
        assertThrows(TypeConversionException.class, () -> converter.convert(value));
    assertEquals("is too long; got \"" + value + "\"", refused.getMessage());
  }

  @ParameterizedTest(name = "{0} is whole milliseconds")
  @ValueSource(strings = {"1.000s", "1.500", "9223372036854775807ms"})
  void trailingZerosAndTheLargestCountAreFine(String value) {
    converter.convert(value);
  }
}
