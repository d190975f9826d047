package io.agentchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Numbers and or-empty slots rendered as JavaScript renders them (protocol facts §2.2). */
class JavaScriptTextTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void integralValuesBelow1e21PrintAsPlainDigits() {
    assertEquals("10", JavaScriptText.number(10));
    assertEquals("10", JavaScriptText.number(10.0));
    assertEquals("100", JavaScriptText.number(1e2));
    assertEquals("300", JavaScriptText.number(300));
    assertEquals("1700000000000", JavaScriptText.number(1700000000000d));
    assertEquals("9007199254740992", JavaScriptText.number(Math.pow(2, 53)));
    assertEquals("18014398509481984", JavaScriptText.number(Math.pow(2, 54)));
    assertEquals("123456789012345680000", JavaScriptText.number(123456789012345680000d));
    assertEquals("100000000000000000000", JavaScriptText.number(1e20));
    assertEquals("-42", JavaScriptText.number(-42));
  }

  @Test
  void fractionsPrintTheShortestDigitsThatReadBack() {
    assertEquals("1.5", JavaScriptText.number(1.5));
    assertEquals("0.1", JavaScriptText.number(0.1));
    assertEquals("0.30000000000000004", JavaScriptText.number(0.1 + 0.2));
    assertEquals("0.000001", JavaScriptText.number(0.000001));
    assertEquals("0.0000015", JavaScriptText.number(0.0000015));
    assertEquals("-2.5", JavaScriptText.number(-2.5));
    assertEquals("3.141592653589793", JavaScriptText.number(Math.PI));
    assertEquals("1234.5678", JavaScriptText.number(1234.5678));
    assertEquals("0.3333333333333333", JavaScriptText.number(1.0 / 3));
  }

  @Test
  void tinyAndHugeMagnitudesUseExponentFormWithAnExplicitSign() {
    assertEquals("1e-7", JavaScriptText.number(1e-7));
    assertEquals("1.5e-7", JavaScriptText.number(1.5e-7));
    assertEquals("1e+21", JavaScriptText.number(1e21));
    assertEquals("1.5e+21", JavaScriptText.number(1.5e21));
    assertEquals("-1e+21", JavaScriptText.number(-1e21));
    assertEquals("1.2345678901234568e+29", JavaScriptText.number(123456789012345678901234567890d));
    assertEquals("5e-324", JavaScriptText.number(Double.MIN_VALUE));
    assertEquals("2.2250738585072014e-308", JavaScriptText.number(Double.MIN_NORMAL));
    assertEquals("1.7976931348623157e+308", JavaScriptText.number(Double.MAX_VALUE));
    assertEquals("1e+100", JavaScriptText.number(1e100));
    assertEquals("1e+23", JavaScriptText.number(1e23));
  }

  @Test
  void signedZeroAndNonFiniteValuesPrintAsJavaScriptDoes() {
    assertEquals("0", JavaScriptText.number(0.0));
    assertEquals("0", JavaScriptText.number(-0.0));
    assertEquals("NaN", JavaScriptText.number(Double.NaN));
    assertEquals("Infinity", JavaScriptText.number(Double.POSITIVE_INFINITY));
    assertEquals("-Infinity", JavaScriptText.number(Double.NEGATIVE_INFINITY));
  }

  @Test
  void digitsStayShortestWhereJdk17DoubleToStringIsNot() {
    // JDK-4511638: JDK 17 prints these as 5.6843418860808015E-14, 1.9999999999999998E23,
    // 9.999999999999999E22 and 4.8726570056999995E288.
    assertEquals("5.684341886080802e-14", JavaScriptText.number(Math.pow(2, -44)));
    assertEquals("2e+23", JavaScriptText.number(2e23));
    assertEquals("1e+23", JavaScriptText.number(1e23));
    assertEquals("4.8726570057e+288", JavaScriptText.number(4.8726570057E288));
  }

  @Test
  void randomDoublesReadBackAndAreNeverLongerThanTheShortestDecimal() {
    SplittableRandom random = new SplittableRandom(20240229L);
    for (int i = 0; i < 300_000; i++) {
      double d = i % 2 == 0 ? anyFiniteDouble(random) : everydayDouble(random);
      String text = JavaScriptText.number(d);
      assertEquals(d, Double.parseDouble(text), text);
      if (i % 3 == 0) {
        BigDecimal brute = bruteForceShortest(Math.abs(d));
        String digits = significantDigits(text);
        assertTrue(
            digits.length() <= brute.precision(),
            () -> text + " is longer than " + brute.toEngineeringString());
        assertEquals(brute.unscaledValue().toString(), digits, () -> "closest digits of " + d);
      }
    }
  }

  @Test
  void falsyValuesLeaveAnOrEmptySlotEmpty() throws IOException {
    JsonNode frame =
        JSON.readTree(
            "{\"n\":null,\"f\":false,\"z\":0,\"nz\":-0.0,\"zf\":0.0,\"e\":\"\",\"big0\":0e10}");
    assertEquals("", JavaScriptText.orEmpty(null));
    assertEquals("", JavaScriptText.orEmpty(MissingNode.getInstance()));
    assertEquals("", JavaScriptText.orEmpty(frame.get("absent")));
    assertEquals("", JavaScriptText.orEmpty(frame.path("absent")));
    for (String name : List.of("n", "f", "z", "nz", "zf", "e", "big0")) {
      assertEquals("", JavaScriptText.orEmpty(frame.get(name)), name);
    }
    assertEquals("", JavaScriptText.orEmpty(DoubleNode.valueOf(Double.NaN)));
  }

  @Test
  void truthyValuesRenderAsTheirJavaScriptText() throws IOException {
    JsonNode frame =
        JSON.readTree(
            "{\"t\":true,\"s\":\"SOL\",\"sp\":\" \",\"zs\":\"0\",\"i\":300,\"d\":10.0,\"e\":1e2,"
                + "\"x\":1e21,\"neg\":-1.5,\"big\":123456789012345678901234567890}");
    assertEquals("true", JavaScriptText.orEmpty(frame.get("t")));
    assertEquals("SOL", JavaScriptText.orEmpty(frame.get("s")));
    assertEquals(" ", JavaScriptText.orEmpty(frame.get("sp")));
    assertEquals("0", JavaScriptText.orEmpty(frame.get("zs")));
    assertEquals("300", JavaScriptText.orEmpty(frame.get("i")));
    assertEquals("10", JavaScriptText.orEmpty(frame.get("d")));
    assertEquals("100", JavaScriptText.orEmpty(frame.get("e")));
    assertEquals("1e+21", JavaScriptText.orEmpty(frame.get("x")));
    assertEquals("-1.5", JavaScriptText.orEmpty(frame.get("neg")));
    assertEquals("1.2345678901234568e+29", JavaScriptText.orEmpty(frame.get("big")));
  }

  @Test
  void malformedArraysAndObjectsRenderAsJavaScriptStringDoes() throws IOException {
    assertEquals("[object Object]", JavaScriptText.orEmpty(JSON.readTree("{\"a\":1}")));
    assertEquals("[object Object]", JavaScriptText.orEmpty(JSON.readTree("{}")));
    assertEquals("", JavaScriptText.orEmpty(JSON.readTree("[]")));
    assertEquals(
        "1,,,false,a,1,2,[object Object],0",
        JavaScriptText.orEmpty(JSON.readTree("[1,null,[],false,\"a\",[1,[2]],{},0]")));
    assertEquals("", JavaScriptText.orEmpty(JsonNodeFactory.instance.arrayNode().addNull()));
  }

  @Test
  void numbersMatchNodeForThousandsOfRandomDoubles() throws Exception {
    Assumptions.assumeTrue(nodeAvailable(), "node is not on PATH");
    SplittableRandom random = new SplittableRandom(7);
    List<Double> values = new ArrayList<>();
    for (double d :
        new double[] {
          0,
          -0.0,
          1e21,
          1e-7,
          0.1,
          5e-324,
          Double.MAX_VALUE,
          Math.pow(2, -44),
          2e23,
          1e23,
          4.8726570057E288,
          Double.NaN,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY
        }) {
      values.add(d);
    }
    for (int i = 0; i < 4000; i++) {
      values.add(i % 2 == 0 ? anyFiniteDouble(random) : everydayDouble(random));
    }
    StringBuilder input = new StringBuilder();
    for (double d : values) {
      input.append(Long.toHexString(Double.doubleToRawLongBits(d))).append('\n');
    }
    String script =
        "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>{const b=Buffer.alloc(8);"
            + "const out=[];for(const h of s.trim().split('\\n')){"
            + "b.writeBigUInt64BE(BigInt('0x'+h));out.push(String(b.readDoubleBE(0)));}"
            + "process.stdout.write(out.join('\\n')+'\\n');});";
    String[] expected = runNode(script, input.toString()).split("\n");
    assertEquals(values.size(), expected.length);
    for (int i = 0; i < values.size(); i++) {
      assertEquals(expected[i], JavaScriptText.number(values.get(i)), "bits " + values.get(i));
    }
  }

  /** Any finite double, subnormals and extreme exponents included. */
  private static double anyFiniteDouble(SplittableRandom random) {
    double d;
    do {
      d = Double.longBitsToDouble(random.nextLong());
    } while (!Double.isFinite(d));
    return d;
  }

  /** Amounts, rates and timestamps of the sizes frames actually carry. */
  private static double everydayDouble(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextInt(100_000) / 100.0;
      case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(-9, 24));
      case 2 -> -random.nextDouble();
      default -> Math.rint(random.nextDouble() * Math.pow(10, random.nextInt(1, 22)));
    };
  }

  /**
   * Linear search, independent of the class under test: the fewest digits p for which some p-digit
   * decimal reads back, and of those the closest to the exact value (ties to even).
   */
  private static BigDecimal bruteForceShortest(double magnitude) {
    BigDecimal exact = new BigDecimal(magnitude);
    for (int p = 1; p <= 17; p++) {
      BigDecimal best = null;
      for (RoundingMode mode :
          new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING}) {
        BigDecimal candidate = exact.round(new MathContext(p, mode));
        if (candidate.doubleValue() != magnitude) {
          continue;
        }
        if (best == null
            || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0) {
          best = candidate;
        }
      }
      if (best != null) {
        return best.stripTrailingZeros();
      }
    }
    throw new AssertionError("17 digits always read back: " + magnitude);
  }

  private static String significantDigits(String jsText) {
    String mantissa = jsText.replace("-", "").split("e")[0].replace(".", "");
    String digits = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
    return digits.isEmpty() ? "0" : digits;
  }

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String runNode(String script, String stdin) throws Exception {
    Process p = new ProcessBuilder("node", "-e", script).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream stdout = p.getInputStream()) {
      stdout.transferTo(out);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail("node failed: " + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
