package io.agentchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Canonical JSON equals JavaScript's JSON.stringify of the parsed value (protocol facts §2.2). */
class CanonicalJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SKILLS =
      "[{\"capability\":\"code_review\",\"description\":\"Reviews\",\"rate\":10,"
          + "\"currency\":\"TEST\"}]";

  /** Documents whose canonical form is easy to get wrong; Node must agree on every one. */
  private static final List<String> TRICKY_DOCUMENTS =
      List.of(
          SKILLS,
          "[1e21, 0.1, -0, -0.0, 1e-7, 123456789012345678901234567890, 10.0, 1e2, 1.5e-7, 5e-324]",
          "[1.7976931348623157e308, 9007199254740993, 0.30000000000000004, 1E400, -1e400]",
          "[\"\\u0001\\u001f\\u007f\", \"\\u2028\\u2029\", \"\\ud800\", \"\\udc00x\","
              + " \"\\udbff\\udfff\", \"\\ud83d\\ude00\", \"😀\", \"a/b\\\\c\\\"d\","
              + " \"\\b\\f\\n\\r\\t\\u000b\", \"\\u00e9\\u00ff\\uffff\", \"\\ude00\\ud83d\"]",
          "{\"10\":1, \"2\":2, \"a\":3, \"01\":4, \"1.5\":5, \"-1\":6, \"\":7, \"0\":8}",
          "{\"4294967295\":1, \"4294967294\":2, \"99999999999\":3, \"b\":4, \"123\":5}",
          "{\"a\":1, \"b\":2, \"a\":3}",
          "{\"b\":1, \"2\":0, \"a\":1, \"1\":0}",
          "{\"__proto__\":{\"x\":1}, \"nested\":[{\"z\":null,\"y\":[true,false,{}],\"0\":[]}]}",
          "\"top-level \\u0000 string\"",
          "null",
          "-0",
          "12.50");

  @Test
  void theSkillsVectorHashesAsTheReferenceDoes() throws IOException {
    String canonical = CanonicalJson.stringify(JSON.readTree(SKILLS));
    assertEquals(SKILLS, canonical);
    assertEquals(
        "12642cb082e9c04a60b9aeb1f670c75cdb9d089edceaeef6899ae8a0060d45ed",
        CanonicalJson.sha256Hex(canonical));
  }

  @Test
  void whitespaceIsDroppedAndNumbersPrintAsJavaScriptNumbers() throws IOException {
    assertEquals("10", stringify("10.0"));
    assertEquals("100", stringify("1e2"));
    assertEquals("0", stringify("-0.0"));
    assertEquals("0", stringify("-0"));
    assertEquals("1e+21", stringify("1e21"));
    assertEquals("1.2345678901234568e+29", stringify("123456789012345678901234567890"));
    assertEquals("[1,2.5,null,true,false]", stringify(" [ 1 , 2.50 , null , true , false ] "));
    assertEquals("{\"a\":{\"b\":[]}}", stringify("{ \"a\" : { \"b\" : [ ] } }"));
  }

  @Test
  void nonFiniteNumbersBecomeNull() throws IOException {
    assertEquals("[null,null]", stringify("[1e400,-1e400]"));
    assertEquals("null", CanonicalJson.stringify(DoubleNode.valueOf(Double.NaN)));
  }

  @Test
  void controlCharactersEscapeAsJsonStringifyDoes() {
    assertEquals(
        "\"\\b\\f\\n\\r\\t\\u0000\\u0001\\u000b\\u001f\"",
        CanonicalJson.stringify(TextNode.valueOf("\b\f\n\r\t\u0000\u0001\u000b\u001f")));
    assertEquals("\"\\\"\\\\\"", CanonicalJson.stringify(TextNode.valueOf("\"\\")));
  }

  @Test
  void slashDeleteLineSeparatorsAndNonAsciiStayRaw() {
    String raw = "a/b\u007f\u2028\u2029é€\uffff";
    assertEquals("\"" + raw + "\"", CanonicalJson.stringify(TextNode.valueOf(raw)));
  }

  @Test
  void loneSurrogatesEscapeButPairsStayRaw() throws IOException {
    assertEquals("\"\\ud800\"", CanonicalJson.stringify(TextNode.valueOf("\ud800")));
    assertEquals("\"\\udc00x\"", CanonicalJson.stringify(TextNode.valueOf("\udc00x")));
    assertEquals("\"\\ude00\\ud83d\"", CanonicalJson.stringify(TextNode.valueOf("\ude00\ud83d")));
    assertEquals("\"x\\udbff\"", stringify("\"x\\udbff\""));
    assertEquals("\"😀\"", stringify("\"\\ud83d\\ude00\""));
    assertEquals("\"\udbff\udfff\"", CanonicalJson.stringify(TextNode.valueOf("\udbff\udfff")));
  }

  @Test
  void duplicateKeysKeepTheLastValueAtTheFirstPosition() throws IOException {
    assertEquals("{\"a\":3,\"b\":2}", stringify("{\"a\":1,\"b\":2,\"a\":3}"));
  }

  @Test
  void arrayIndexKeysComeFirstInNumericOrder() throws IOException {
    assertEquals(
        "{\"1\":0,\"2\":0,\"b\":1,\"a\":1}", stringify("{\"b\":1,\"2\":0,\"a\":1,\"1\":0}"));
    assertEquals(
        "{\"0\":8,\"2\":2,\"10\":1,\"a\":3,\"01\":4,\"1.5\":5,\"-1\":6,\"\":7}",
        stringify("{\"10\":1,\"2\":2,\"a\":3,\"01\":4,\"1.5\":5,\"-1\":6,\"\":7,\"0\":8}"));
    assertEquals(
        "{\"4294967294\":2,\"4294967295\":1,\"b\":4}",
        stringify("{\"4294967295\":1,\"b\":4,\"4294967294\":2}"));
  }

  @Test
  void missingValuesActLikeUndefined() {
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    object.set("gone", MissingNode.getInstance());
    object.put("kept", 1);
    assertEquals("{\"kept\":1}", CanonicalJson.stringify(object));
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    array.add(MissingNode.getInstance());
    assertEquals("[null]", CanonicalJson.stringify(array));
    assertEquals("null", CanonicalJson.stringify(null));
    assertThrows(
        IllegalArgumentException.class, () -> CanonicalJson.stringify(MissingNode.getInstance()));
  }

  @Test
  void sha256HexIsLowercaseOverUtf8() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        CanonicalJson.sha256Hex(""));
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        CanonicalJson.sha256Hex("abc"));
    // Node hashes a lone surrogate as U+FFFD, not as Java's '?'.
    assertEquals(CanonicalJson.sha256Hex("x\ufffd"), CanonicalJson.sha256Hex("x\ud800"));
  }

  @Test
  void trickyDocumentsCanonicalizeExactlyAsNodeDoes() throws Exception {
    Assumptions.assumeTrue(nodeAvailable(), "node is not on PATH");
    // Each document travels as a JSON string so Node parses exactly the same text.
    String input = JSON.writeValueAsString(TRICKY_DOCUMENTS);
    String script =
        "let s='';process.stdin.setEncoding('utf8').on('data',c=>s+=c).on('end',()=>{"
            + "for(const d of JSON.parse(s)){"
            + "process.stdout.write(JSON.stringify(JSON.stringify(JSON.parse(d)))+'\\n');}});";
    String[] lines = runNode(script, input).split("\n");
    assertEquals(TRICKY_DOCUMENTS.size(), lines.length);
    for (int i = 0; i < lines.length; i++) {
      // Node wrote each result as a JSON string literal so lone surrogates survive the pipe.
      String expected = JSON.readTree(lines[i]).textValue();
      assertEquals(expected, stringify(TRICKY_DOCUMENTS.get(i)), TRICKY_DOCUMENTS.get(i));
    }
  }

  private static String stringify(String json) throws IOException {
    JsonNode parsed = JSON.readTree(json);
    return CanonicalJson.stringify(parsed);
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
