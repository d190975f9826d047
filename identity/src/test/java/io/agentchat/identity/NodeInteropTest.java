package io.agentchat.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Node's own crypto module checks what Java produced; skipped where Node is not installed. */
class NodeInteropTest {
  private static final String SCRIPT =
      String.join(
          "\n",
          "const crypto = require('crypto');",
          "const env = process.env;",
          "const pub = crypto.createPublicKey(env.AC_PUB);",
          "const priv = crypto.createPrivateKey(env.AC_PRIV);",
          "const text = env.AC_MSG_JSON ? JSON.parse(env.AC_MSG_JSON) : env.AC_MSG;",
          "const msg = Buffer.from(text, 'utf8');",
          "const pem = crypto.createPublicKey(priv).export({type: 'spki', format: 'pem'});",
          "console.log(JSON.stringify({",
          "  verified: crypto.verify(null, msg, pub, Buffer.from(env.AC_SIG, 'base64')),",
          "  publicPem: pem,",
          "  agentId: crypto.createHash('sha256').update(pem).digest('hex').substring(0, 16),",
          "  privatePem: priv.export({type: 'pkcs8', format: 'pem'}),",
          "  signature: crypto.sign(null, msg, priv).toString('base64'),",
          "}));");

  @Test
  void nodeVerifiesJavaSignaturesAndAcceptsJavaPrivateKeys() throws Exception {
    AgentKeyPair keys = AgentKeyPair.generate();
    String message = "AGENTCHAT_AUTH|nonce|chal_x|1700000000000|héllo ✓";
    String signature = keys.sign(message);

    JsonNode node =
        runNode(
            Map.of(
                "AC_PUB",
                keys.publicKey().pem(),
                "AC_PRIV",
                keys.privatePem(),
                "AC_MSG",
                message,
                "AC_SIG",
                signature));

    assertTrue(node.get("verified").asBoolean(), "Node rejected Java's signature");
    assertEquals(keys.publicKey().pem(), node.get("publicPem").asText());
    assertEquals(keys.publicKey().agentId(), node.get("agentId").asText());
    assertEquals(keys.privatePem(), node.get("privatePem").asText());
    assertEquals(signature, node.get("signature").asText());
  }

  @Test
  void aLoneSurrogateIsSignedAsNodeEncodesIt() throws Exception {
    // A JSON task like "fix \ud800 bug" parses to a string with a lone surrogate; Node signs
    // its UTF-8 with U+FFFD in that place, and so must we.
    AgentKeyPair keys = AgentKeyPair.generate();
    String message = "@0123456789abcdef|fix \ud800 bug||||300|";
    JsonNode node =
        runNode(
            Map.of(
                "AC_PUB",
                keys.publicKey().pem(),
                "AC_PRIV",
                keys.privatePem(),
                "AC_MSG_JSON",
                "\"@0123456789abcdef|fix \\ud800 bug||||300|\"",
                "AC_SIG",
                keys.sign(message)));
    assertTrue(node.get("verified").asBoolean(), "Node rejected Java's signature");
    assertEquals(keys.sign(message), node.get("signature").asText());
    assertTrue(keys.publicKey().verify(message, node.get("signature").asText()));
  }

  private static JsonNode runNode(Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("node", "-e", SCRIPT);
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      Assumptions.abort("node is not on PATH: " + e.getMessage());
      throw e;
    }
    byte[] output = process.getInputStream().readAllBytes();
    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "node did not finish");
    assertEquals(0, process.exitValue(), "node failed: " + errors);
    return new ObjectMapper().readTree(output);
  }
}
