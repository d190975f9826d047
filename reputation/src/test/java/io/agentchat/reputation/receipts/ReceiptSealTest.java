package io.agentchat.reputation.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentIds;
import io.agentchat.identity.Identity;
import io.agentchat.reputation.receipts.impl.Jcs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReceiptSealTest {
  private final ServerKey server = ServerKey.of(Identity.generate("seal-test"), null);

  private static String canonical(String json) {
    try {
      return new String(
          Jcs.canonicalUtf8(ReceiptChain.JSON.readTree(json)), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void canonicalJsonMatchesTheRfc8785Example() {
    // RFC 8785 §3.2.2, as parsed by Jackson and canonicalized through our path.
    String input =
        "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
            + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
            + " \"literals\": [null, true, false]}";

    assertEquals(
        "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
        canonical(input));
  }

  @Test
  void canonicalJsonSortsMembersByUtf16CodeUnits() {
    // RFC 8785 §3.2.3.
    String input =
        "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew\","
            + " \"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji\", \"\\u0080\": \"Control\","
            + " \"\\u00f6\": \"o\"}";

    assertEquals(
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"o\","
            + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji\",\"\ufb33\":\"Hebrew\"}",
        canonical(input));
  }

  @Test
  void canonicalNumbersAreEcmaScriptNumbers() {
    // RFC 8785 Appendix B, as far as JSON text can carry the values.
    assertEquals(
        "[0,1e+21,1e-7,0.000001,9007199254740992,295147905179352830000,1.5,10,-5e-324]",
        canonical(
            "[-0, 1e21, 1e-7, 0.000001, 9007199254740992, 295147905179352825856, 1.50, 10.0,"
                + " -5e-324]"));
  }

  @Test
  void aValueWithoutCanonicalFormIsRefused() {
    ObjectNode bad = ReceiptChain.JSON.createObjectNode().put("amount", Double.NaN);

    assertThrows(IllegalArgumentException.class, () -> ReceiptSeal.hash(bad));
  }

  @Test
  void theHashLeavesOutHashAndServerSig() throws Exception {
    ObjectNode receipt = ReceiptChain.parse("{\"b\":1,\"a\":\"x\"}");
    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest("{\"a\":\"x\",\"b\":1}".getBytes(StandardCharsets.UTF_8)));

    String bare = ReceiptSeal.hash(receipt);
    receipt.put("hash", "whatever").put("server_sig", "whatever");

    assertEquals(expected, bare);
    assertEquals(expected, ReceiptSeal.hash(receipt));
  }

  @Test
  void sealingAddsTheHashThenASignatureCoveringIt() {
    ObjectNode receipt = unsealed();

    ReceiptSeal.seal(receipt, server);

    List<String> names = iterable(receipt);
    assertEquals(List.of("hash", "server_sig"), names.subList(names.size() - 2, names.size()));
    assertEquals(ReceiptSeal.hash(receipt), receipt.get("hash").asText());
    byte[] signed = Jcs.canonicalUtf8Without(receipt, Set.of("server_sig"));
    assertTrue(
        new String(signed, StandardCharsets.UTF_8)
            .contains("\"hash\":\"" + receipt.get("hash").asText()));
    assertTrue(
        server
            .publicKey()
            .verify(signed, Base64.getDecoder().decode(receipt.get("server_sig").asText())));
  }

  @Test
  void sealingRefusesSealedReceiptsAndOtherServers() {
    ObjectNode sealed = ReceiptSeal.seal(unsealed(), server);
    ObjectNode foreign = unsealed().put("server", "@0123456789abcdef");
    ObjectNode noPrev = unsealed();
    noPrev.remove("prev");

    assertThrows(IllegalArgumentException.class, () -> ReceiptSeal.seal(sealed, server));
    assertThrows(IllegalArgumentException.class, () -> ReceiptSeal.seal(foreign, server));
    assertThrows(IllegalArgumentException.class, () -> ReceiptSeal.seal(noPrev, server));
  }

  @Test
  void theHeadIsSignedByTheServer() {
    ObjectNode head =
        ReceiptSeal.head("@0123456789abcdef", 3, "ab".repeat(32), 1_700_000_000_000L, server);

    assertEquals(
        List.of(
            "type", "agent", "count", "head", "server", "server_pubkey", "issued_at", "server_sig"),
        iterable(head));
    assertEquals(
        "@" + AgentIds.fromPublicKeyPem(head.get("server_pubkey").asText()),
        head.get("server").asText());
    assertTrue(
        server
            .publicKey()
            .verify(
                Jcs.canonicalUtf8Without(head, Set.of("server_sig")),
                Base64.getDecoder().decode(head.get("server_sig").asText())));
  }

  private ObjectNode unsealed() {
    ObjectNode receipt = ReceiptChain.JSON.createObjectNode();
    receipt.put("type", "COMPLETE").put("seq", 1).put("amount", 1.5).put("server", server.id());
    receipt.putObject("prev").putNull("@0123456789abcdef");
    return receipt;
  }

  private static List<String> iterable(JsonNode object) {
    return object.properties().stream().map(java.util.Map.Entry::getKey).toList();
  }
}
