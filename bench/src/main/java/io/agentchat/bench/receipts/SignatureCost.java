package io.agentchat.bench.receipts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentKey;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.reputation.receipts.ReceiptSeal;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * What one receipt costs to verify, by part, on one thread: an Ed25519 verification with
 * BouncyCastle (what {@link AgentKey} uses) and with the JDK's own provider, parsing a public key,
 * and hashing a receipt (RFC 8785 canonical JSON + SHA-256). A plain timed loop after a warm-up
 * (not JMH): good to a few percent, enough to see where a verifier's time goes.
 *
 * <pre>java -cp agentchat.jar io.agentchat.bench.receipts.SignatureCost [EXPORT.jsonl]</pre>
 */
public final class SignatureCost {
  private static final int WARMUP = 5_000;
  private static final int ROUNDS = 20_000;

  private SignatureCost() {}

  /** Prints microseconds per operation; the optional argument supplies a real receipt to hash. */
  public static void main(String[] args) throws Exception {
    AgentKeyPair keys = AgentKeyPair.generate();
    byte[] message = new byte[1500];
    new java.util.Random(1).nextBytes(message);
    byte[] signature = keys.sign(message);
    AgentKey bc = keys.publicKey();
    PublicKey jdk =
        KeyFactory.getInstance("Ed25519")
            .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(pemBody(bc))));
    ObjectNode receipt = sampleReceipt(args);

    report("Ed25519 verify, BouncyCastle", WARMUP, ROUNDS, () -> bc.verify(message, signature));
    report(
        "Ed25519 verify, JDK", WARMUP / 5, ROUNDS / 10, () -> jdkVerify(jdk, message, signature));
    report("Ed25519 sign, BouncyCastle", WARMUP, ROUNDS, () -> keys.sign(message).length == 64);
    report("public key parse (PEM)", WARMUP, ROUNDS, () -> AgentKey.fromPem(bc.pem()) != null);
    report(
        "receipt hash (JCS + SHA-256)", WARMUP, ROUNDS, () -> !ReceiptSeal.hash(receipt).isEmpty());
  }

  private interface Operation {
    boolean run() throws Exception;
  }

  private static void report(String name, int warmup, int rounds, Operation operation)
      throws Exception {
    for (int i = 0; i < warmup; i++) {
      check(operation.run());
    }
    long started = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      check(operation.run());
    }
    double micros = (System.nanoTime() - started) / 1e3 / rounds;
    System.out.printf("%-34s %8.1f µs  (%,.0f/s per core)%n", name, micros, 1e6 / micros);
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("an operation under measurement failed");
    }
  }

  private static boolean jdkVerify(PublicKey key, byte[] message, byte[] signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(key);
    verifier.update(message);
    return verifier.verify(signature);
  }

  private static String pemBody(AgentKey key) {
    return key.pem().replaceAll("-----[A-Z ]+-----", "").strip();
  }

  private static ObjectNode sampleReceipt(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    if (args.length > 0) {
      try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
        return (ObjectNode) json.readTree(in.readLine());
      }
    }
    ObjectNode receipt = json.createObjectNode();
    receipt.put("type", "COMPLETE").put("seq", 1).put("task", "Review PR #42").put("amount", 1.5);
    receipt
        .putObject("pubkeys")
        .put("@0123456789abcdef", AgentKeyPair.generate().publicKey().pem());
    return receipt;
  }
}
