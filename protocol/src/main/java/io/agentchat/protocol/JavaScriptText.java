package io.agentchat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Turns values into text exactly as JavaScript does, because the reference server rebuilds every
 * signing string from parsed JSON values with JavaScript semantics (protocol facts §2.2) and a
 * signature only verifies when both sides render byte-identical text.
 *
 * <p>Stateless and thread-safe.
 */
public final class JavaScriptText {

  /** Largest number of significant digits a double ever needs to round-trip. */
  private static final int MAX_DIGITS = 17;

  /** Below 2^53 doubles lie at most 1 apart, so an integral double is its own shortest decimal. */
  private static final double TWO_TO_53 = 0x1p53;

  private JavaScriptText() {}

  /**
   * Renders a double as JavaScript's {@code Number.prototype.toString()} does: the shortest decimal
   * that reads back as the same double, as plain digits for magnitudes in [1e-6, 1e21) and in
   * exponent form ({@code 1e-7}, {@code 1.5e+21}) otherwise.
   *
   * @param d any double; {@code -0} renders as {@code 0}, NaN as {@code NaN}, infinities as {@code
   *     Infinity} and {@code -Infinity}
   * @return the JavaScript text of {@code d}
   */
  public static String number(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return "0";
    }
    if (Math.abs(d) < TWO_TO_53 && d == Math.rint(d)) {
      // Every integer below 2^53 is its own shortest form; frame timestamps take this path.
      return Long.toString((long) d);
    }
    String sign = d < 0 ? "-" : "";
    double magnitude = Math.abs(d);
    BigDecimal shortest = shortestRoundTrip(magnitude).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    // ECMAScript Number::toString: value = digits × 10^(n−k).
    int n = k - shortest.scale();
    return sign + format(digits, k, n);
  }

  /**
   * Renders a value placed in an optional ("or-empty") slot of a signing string, i.e. JavaScript's
   * {@code `${value || ''}`}: absent, null, false, 0, -0, NaN and the empty string give empty text,
   * {@code true} gives {@code true}, other strings themselves and other numbers their {@link
   * #number(double) JavaScript text}.
   *
   * <p>Arrays and objects only arrive through malformed frames; they render as JavaScript's {@code
   * String()} would (elements comma-joined, {@code [object Object]}) so a server can still
   * reproduce the reference exactly before it rejects them.
   *
   * @param v a parsed JSON value, a {@code MissingNode} or Java {@code null} for an absent member
   * @return the slot's text, never null
   */
  public static String orEmpty(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return "";
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? "true" : "";
    }
    if (v.isNumber()) {
      double d = v.doubleValue();
      return d == 0 || Double.isNaN(d) ? "" : number(d);
    }
    return string(v);
  }

  /**
   * JavaScript's {@code String(value)} for a value already known to be truthy or nested in an
   * array, where {@code null} and {@code undefined} elements become empty text.
   */
  private static String string(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return "";
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? "true" : "false";
    }
    if (v.isNumber()) {
      return number(v.doubleValue());
    }
    if (v.isArray()) {
      StringBuilder joined = new StringBuilder();
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          joined.append(',');
        }
        joined.append(string(v.get(i)));
      }
      return joined.toString();
    }
    if (v.isObject()) {
      return "[object Object]";
    }
    // Binary and POJO nodes never come out of a JSON parser; their text is the nearest analogue.
    return v.asText();
  }

  /**
   * Among the decimals with the fewest significant digits that read back as {@code magnitude},
   * returns the one closest to it (ties to an even last digit), as ECMAScript requires. JDK 17's
   * {@code Double.toString} does not always give the shortest digits (JDK-4511638), so the search
   * is done here over the exact binary value.
   */
  private static BigDecimal shortestRoundTrip(double magnitude) {
    BigDecimal exact = new BigDecimal(magnitude);
    // Bisection is sound because a decimal that reads back with p digits still does with p + 1
    // (append a zero), and 17 digits always suffice.
    int tooFew = 0;
    int enough = MAX_DIGITS;
    BigDecimal best = closestRoundTrip(exact, magnitude, MAX_DIGITS);
    while (enough - tooFew > 1) {
      int p = (tooFew + enough) >>> 1;
      BigDecimal candidate = closestRoundTrip(exact, magnitude, p);
      if (candidate == null) {
        tooFew = p;
      } else {
        enough = p;
        best = candidate;
      }
    }
    return best;
  }

  /**
   * The p-digit decimal closest to {@code exact} that reads back as {@code magnitude}, or null if
   * no p-digit decimal does.
   */
  private static BigDecimal closestRoundTrip(BigDecimal exact, double magnitude, int p) {
    BigDecimal nearest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
    if (nearest.doubleValue() == magnitude) {
      return nearest;
    }
    // The neighbour on the other side can still read back: the round-trip interval is lopsided
    // just above a power of two, where the gap below is half the gap above.
    RoundingMode otherSide =
        nearest.compareTo(exact) > 0 ? RoundingMode.FLOOR : RoundingMode.CEILING;
    BigDecimal other = exact.round(new MathContext(p, otherSide));
    return other.doubleValue() == magnitude ? other : null;
  }

  /** Lays out {@code k} significant digits with decimal exponent {@code n} per ECMAScript. */
  private static String format(String digits, int k, int n) {
    if (k <= n && n <= 21) {
      return digits + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return digits.substring(0, n) + "." + digits.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + digits;
    }
    int e = n - 1;
    String exponent = (e < 0 ? "e-" : "e+") + Math.abs(e);
    if (k == 1) {
      return digits + exponent;
    }
    return digits.charAt(0) + "." + digits.substring(1) + exponent;
  }
}
