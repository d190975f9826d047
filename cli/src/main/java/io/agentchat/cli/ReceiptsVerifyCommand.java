package io.agentchat.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.agentchat.identity.AgentKey;
import io.agentchat.identity.InvalidKeyException;
import io.agentchat.reputation.receipts.ReceiptFileException;
import io.agentchat.reputation.receipts.ReceiptVerifier;
import io.agentchat.wallet.evm.ChainRecheck;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agentchat receipts verify}: checks an exported receipts file offline — every signature,
 * every hash, the agent's chain and the signed HEAD — and says which receipts are bad.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Verify a receipts export offline: signatures, hashes, the agent's chain and the"
            + " server-signed HEAD. Exit 0 when all is good, 1 when anything is bad, 2 when the"
            + " file cannot be used.")
final class ReceiptsVerifyCommand extends AgentChatBaseCommand {
  /** A public key PEM is about 120 bytes; anything much larger is the wrong file. */
  private static final long MAX_KEY_FILE_BYTES = 64 * 1024;

  @Parameters(
      paramLabel = "FILE",
      description = "The export: JSONL, or a {\"receipts\",\"head\"} document.")
  Path file;

  @Option(
      names = "--server-key",
      paramLabel = "PEM_FILE",
      description =
          "The server's public key (PEM). Without it the key named in the file's HEAD is trusted.")
  Path serverKeyFile;

  @Option(names = "--json", description = "Print one JSON object with the problems and totals.")
  boolean json;

  @Option(
      names = "--evm-rpc",
      paramLabel = "URL",
      description =
          "Also check each payment on an EVM chain against the chain, through this JSON-RPC URL"
              + " (the receipt's chain id must match the node's). Without it chain payments are"
              + " reported unchecked: the receipt proves only that the server says it verified"
              + " them.")
  String evmRpc;

  /** Set when the chain does not confirm a payment a receipt carries. */
  private boolean paymentsRefused;

  /** The longest wait for the chain's node per payment. */
  private static final Duration RECHECK_TIMEOUT = Duration.ofSeconds(10);

  @Override
  protected int run() throws IOException {
    ReceiptVerifier verifier = ReceiptVerifier.create();
    if (serverKeyFile != null) {
      verifier = verifier.expectingServer(readKey(serverKeyFile));
    }
    ReceiptVerifier.Report report;
    try {
      report = json ? verifyAsJson(verifier) : verifyAsText(verifier);
    } catch (ReceiptFileException e) {
      throw CommandExit.badInput(e.getMessage());
    }
    return report.ok() && !paymentsRefused ? OK : FAILURE;
  }

  private ReceiptVerifier.Report verifyAsText(ReceiptVerifier verifier)
      throws ReceiptFileException, IOException {
    ReceiptVerifier.Report report = verifier.verify(file, problem -> out().println(line(problem)));
    out().println(summary(report));
    if (report.ok()) {
      String payments = payments();
      if (!payments.isEmpty()) {
        out().println(payments);
      }
    }
    return report;
  }

  /** One problem as one line, as {@code receipts verify} prints it. */
  static String line(ReceiptVerifier.Problem problem) {
    if (problem.aboutFile()) {
      return "file: " + problem.message();
    }
    return "line "
        + problem.line()
        + " (receipt "
        + problem.index()
        + (problem.proposalId() == null ? "" : ", " + problem.proposalId())
        + "): "
        + problem.message();
  }

  private static String summary(ReceiptVerifier.Report report) {
    if (report.ok()) {
      return "OK: "
          + report.receipts()
          + (report.receipts() == 1 ? " receipt" : " receipts")
          + ", chain of "
          + report.agent()
          + " intact, head "
          + (report.head() == null ? "none" : report.head());
    }
    String line = "FAILED: " + report.badReceipts() + " of " + report.receipts() + " receipts bad";
    if (report.fileProblems() > 0) {
      line +=
          ", "
              + report.fileProblems()
              + (report.fileProblems() == 1 ? " problem" : " problems")
              + " with the file";
    }
    return line;
  }

  /**
   * What the receipts say was paid. Offline, a chain payment is only what the server says it
   * verified: reported as unchecked, never as valid. With {@code --evm-rpc} each is checked on the
   * chain, and one the chain does not confirm fails the run.
   */
  private String payments() throws IOException {
    Payments counted = countPayments(refused -> out().println(refusal(refused)));
    List<String> parts = new ArrayList<>();
    if (counted.ledger > 0) {
      parts.add(counted.ledger + " on the server's ledger (as the server recorded them)");
    }
    if (counted.chain > 0 && evmRpc == null) {
      parts.add(
          counted.chain + " on a chain, unchecked (give --evm-rpc URL to check them on the chain)");
    } else if (counted.chain > 0) {
      parts.add(
          counted.chain
              + " on a chain, checked on it: "
              + (counted.chain - counted.refused)
              + " confirmed"
              + (counted.refused > 0 ? ", " + counted.refused + " NOT confirmed" : ""));
    }
    return parts.isEmpty() ? "" : "Payments: " + String.join("; ", parts);
  }

  private static String refusal(Refused r) {
    return "receipt "
        + r.paid().index()
        + " ("
        + r.paid().proposalId()
        + "): the chain does not confirm its payment: "
        + r.reason();
  }

  /** A chain payment the chain did not confirm, and why. */
  private record Refused(ReceiptPayments.Paid paid, String reason) {}

  private static final class Payments {
    long ledger;
    long chain;
    long refused;
  }

  /**
   * Counts the payments the file's receipts carry and, with {@code --evm-rpc}, checks each chain
   * payment on the chain; a payment the chain does not confirm fails the run.
   */
  private Payments countPayments(Consumer<Refused> refusals) throws IOException {
    Payments counted = new Payments();
    Vertx vertx = evmRpc == null ? null : Vertx.vertx();
    try (ChainRecheck chain =
        vertx == null ? null : new ChainRecheck(vertx, evmRpc, RECHECK_TIMEOUT)) {
      ReceiptPayments.read(
          file,
          paid -> {
            if (!paid.onChain()) {
              counted.ledger++;
              return;
            }
            counted.chain++;
            if (chain != null) {
              recheck(chain, paid)
                  .ifPresent(
                      why -> {
                        counted.refused++;
                        refusals.accept(new Refused(paid, why));
                      });
            }
          });
    } finally {
      if (vertx != null) {
        vertx.close().await();
      }
    }
    paymentsRefused = counted.refused > 0;
    return counted;
  }

  /** Why the chain does not confirm the payment, or empty when it does. */
  private Optional<String> recheck(ChainRecheck chain, ReceiptPayments.Paid paid) {
    // The command's own thread, not an event loop: waiting here blocks nothing else.
    try {
      return chain
          .recheck(paid.receipt())
          .await(RECHECK_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw CommandExit.failure("the chain's node at " + evmRpc + " did not answer in time");
    }
  }

  /** Streams the problems into the JSON object as they come, so memory stays bounded. */
  private ReceiptVerifier.Report verifyAsJson(ReceiptVerifier verifier)
      throws ReceiptFileException, IOException {
    try (JsonGenerator out = new JsonFactory().createGenerator(out())) {
      out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      out.writeStartObject();
      out.writeStringField("file", file.toString());
      out.writeArrayFieldStart("problems");
      Consumer<ReceiptVerifier.Problem> writeProblem =
          problem -> {
            try {
              out.writeStartObject();
              out.writeNumberField("line", problem.line());
              out.writeNumberField("receipt", problem.index());
              out.writeStringField("proposal_id", problem.proposalId());
              out.writeStringField("message", problem.message());
              out.writeEndObject();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          };
      ReceiptVerifier.Report report = verifier.verify(file, writeProblem);
      out.writeEndArray();
      out.writeBooleanField("ok", report.ok());
      out.writeNumberField("receipts", report.receipts());
      out.writeNumberField("bad_receipts", report.badReceipts());
      out.writeNumberField("file_problems", report.fileProblems());
      out.writeStringField("agent", report.agent());
      out.writeStringField("head", report.head());
      out.writeStringField("server", report.server());
      if (report.ok()) {
        List<Refused> refusals = new ArrayList<>();
        Payments counted = countPayments(refusals::add);
        out.writeObjectFieldStart("payments");
        out.writeNumberField("ledger", counted.ledger);
        out.writeNumberField("chain", counted.chain);
        out.writeBooleanField("chain_checked", evmRpc != null);
        out.writeArrayFieldStart("not_confirmed");
        for (Refused r : refusals) {
          out.writeStartObject();
          out.writeNumberField("receipt", r.paid().index());
          out.writeStringField("proposal_id", r.paid().proposalId());
          out.writeStringField("reason", r.reason());
          out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
      }
      out.writeEndObject();
      out.flush();
      out().println();
      return report;
    }
  }

  private static AgentKey readKey(Path path) {
    try {
      if (Files.size(path) > MAX_KEY_FILE_BYTES) {
        throw CommandExit.badInput(path + " is too large to be a public key");
      }
      return AgentKey.fromPem(Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw CommandExit.badInput("No such file: " + path);
    } catch (IOException e) {
      throw CommandExit.badInput("Cannot read " + path + ": " + e.getMessage());
    } catch (InvalidKeyException e) {
      throw CommandExit.badInput(path + " is not an Ed25519 public key PEM: " + e.getMessage());
    }
  }
}
