package io.agentchat.reputation.receipts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.reputation.receipts.impl.Jcs;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * {@link Jcs} writes canonical JSON straight from the tree; the RFC author's canonicalizer, fed the
 * tree's JSON text, is the reference it must agree with byte for byte.
 */
class CanonicalJsonTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonMapper WRITER =
      JsonMapper.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();
  private static final String ALPHABET =
      "aZ09 _-/\\\"\b\f\n\r\t\u0000\u0001\u001f\u007f\u0080\u00e9\u2028\u20ac\ufb33\ud83d\ude00";

  private static byte[] reference(JsonNode value) throws Exception {
    return new JsonCanonicalizer(WRITER.writeValueAsBytes(value)).getEncodedUTF8();
  }

  @Test
  void randomTreesAreCanonicalizedAsTheRfcAuthorsCanonicalizerDoes() throws Exception {
    SplittableRandom random = new SplittableRandom(8785);
    for (int i = 0; i < 3000; i++) {
      JsonNode tree = object(random, 3);
      assertArrayEquals(reference(tree), Jcs.canonicalUtf8(tree), () -> tree.toString());
    }
  }

  @Test
  void aLoneSurrogateOrANonFiniteNumberHasNoCanonicalForm() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Jcs.canonicalUtf8(NODES.objectNode().put("s", "x\ud83dy")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Jcs.canonicalUtf8(NODES.objectNode().put("s", "\ude00")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Jcs.canonicalUtf8(NODES.arrayNode().add(Double.POSITIVE_INFINITY)));
  }

  private static ObjectNode object(SplittableRandom random, int depth) {
    ObjectNode o = NODES.objectNode();
    int members = random.nextInt(8);
    for (int i = 0; i < members; i++) {
      o.set(string(random), value(random, depth - 1));
    }
    return o;
  }

  private static JsonNode value(SplittableRandom random, int depth) {
    int kind = random.nextInt(depth > 0 ? 12 : 10);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2, 3 -> NODES.textNode(string(random));
      case 4 -> NODES.numberNode(random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L));
      case 5 -> NODES.numberNode(random.nextLong());
      case 6 -> NODES.numberNode(Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL));
      case 7 -> NODES.numberNode(random.nextInt(100_000) / 100.0);
      case 8 ->
          NODES.numberNode(
              new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(-30, 30)));
      case 9 -> NODES.numberNode(new BigInteger(100, new java.util.Random(random.nextLong())));
      case 10 -> {
        ArrayNode a = NODES.arrayNode();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          a.add(value(random, depth - 1));
        }
        yield a;
      }
      default -> object(random, depth - 1);
    };
  }

  private static String string(SplittableRandom random) {
    StringBuilder s = new StringBuilder();
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      int at = random.nextInt(ALPHABET.length());
      char c = ALPHABET.charAt(at);
      if (Character.isHighSurrogate(c)) {
        s.append(c).append(ALPHABET.charAt(at + 1));
      } else if (!Character.isLowSurrogate(c)) {
        s.append(c);
      }
    }
    return s.toString();
  }
}
