package io.agentchat.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.agentchat.identity.AgentKey;
import io.agentchat.identity.InvalidKeyException;
import io.agentchat.reputation.receipts.ReceiptFileException;
import io.agentchat.reputation.receipts.ReceiptVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    return report.ok() ? OK : FAILURE;
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

  /**
   * What the receipts say was paid. Offline, a chain payment is only what the server says it
   * verified: reported as unchecked, never as valid.
   */
  private String payments() throws IOException {
    long[] ledger = {0};
    long[] chain = {0};
    ReceiptPayments.read(
        file,
        paid -> {
          if (paid.onChain()) {
            chain[0]++;
          } else {
            ledger[0]++;
          }
        });
    List<String> parts = new ArrayList<>();
    if (ledger[0] > 0) {
      parts.add(ledger[0] + " on the server's ledger (as the server recorded them)");
    }
    if (chain[0] > 0) {
      parts.add(
          chain[0] + " on a chain, unchecked (give --evm-rpc URL to check them on the chain)");
    }
    return parts.isEmpty() ? "" : "Payments: " + String.join("; ", parts);
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
        long[] counts = {0, 0};
        ReceiptPayments.read(file, paid -> counts[paid.onChain() ? 1 : 0]++);
        out.writeObjectFieldStart("payments");
        out.writeNumberField("ledger", counts[0]);
        out.writeNumberField("chain_unchecked", counts[1]);
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
