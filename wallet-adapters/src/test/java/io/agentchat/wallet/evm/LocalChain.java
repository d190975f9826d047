package io.agentchat.wallet.evm;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A real local Ethereum node for tests: {@code hardhat node} from the pinned npm packages in {@code
 * src/test/node}, on a free loopback port, with its funded development accounts. Transactions are
 * mined as they are sent (hardhat's automine), so a sent transaction's receipt is there when {@link
 * #send} returns. {@link #close} ends the node and its child processes.
 *
 * <p>When node or the npm packages are missing the test fails and says what to install: the chain
 * tests are part of the build, never skipped.
 */
public final class LocalChain implements AutoCloseable {
  public static final long CHAIN_ID = 31337;

  /** Hardhat's well-known development keys (public; worthless on any real chain). */
  public static final Credentials PAYER =
      Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

  public static final Credentials PAYEE =
      Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  public static final Credentials STRANGER =
      Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

  /** Holds ETH but no tokens: its token transfers revert. */
  public static final Credentials TOKENLESS =
      Credentials.create("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");

  /**
   * This module's directory: the working directory when its own tests run, its sibling when another
   * module's tests (the server's, in cli) use the chain.
   */
  private static final Path MODULE =
      Files.isDirectory(Path.of("src/test/node")) ? Path.of("") : Path.of("..", "wallet-adapters");

  private static final Path NODE_DIR = MODULE.resolve("src/test/node");
  private static final Path HARDHAT =
      NODE_DIR.resolve("node_modules/hardhat/internal/cli/bootstrap.js");
  private static final Path SOLC = NODE_DIR.resolve("node_modules/solc/package.json");
  private static final Path LOGS = Path.of("target/local-chain");
  private static final String INSTALL =
      "npm ci --prefix wallet-adapters/src/test/node (from the repository root; .ci/run does it)";
  private static final long START_SECONDS = 60;
  private static final BigInteger GAS_LIMIT = BigInteger.valueOf(3_000_000);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Thread shutdownHook;
  private final String url;
  private final HttpService rpc;
  private final Web3j web3j;

  private LocalChain(Process process, String url) {
    this.process = process;
    this.url = url;
    this.rpc = new HttpService(url);
    this.web3j = Web3j.build(rpc);
    this.shutdownHook = new Thread(this::stopProcess, "local-chain-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a node and waits until it has printed that it listens and answers {@code eth_chainId}.
   */
  public static LocalChain start() throws IOException, InterruptedException {
    requireInstalled();
    Files.createDirectories(LOGS);
    IOException last = null;
    // A free port can be taken by another process between our probe and the node's bind: retry.
    for (int attempt = 1; attempt <= 3; attempt++) {
      int port = freePort();
      ProcessBuilder builder =
          new ProcessBuilder(
                  "node",
                  HARDHAT.toAbsolutePath().toString(),
                  "node",
                  "--hostname",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port))
              .directory(NODE_DIR.toFile())
              .redirectErrorStream(true);
      builder.environment().put("HARDHAT_DISABLE_TELEMETRY_PROMPT", "true");
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<Void> listening = drain(process, LOGS.resolve("hardhat-" + port + ".log"));
      try {
        listening.get(START_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        destroyTree(process);
        last = new IOException("hardhat node did not start on port " + port + ": " + e, e);
        continue;
      }
      LocalChain chain = new LocalChain(process, "http://127.0.0.1:" + port);
      try {
        BigInteger id = chain.call(chain.web3j.ethChainId()).getChainId();
        if (id.longValueExact() != CHAIN_ID) {
          fail("hardhat node reports chain " + id + ", expected " + CHAIN_ID);
        }
        return chain;
      } catch (IOException e) {
        chain.close();
        last = e;
      }
    }
    throw last;
  }

  /** The node's JSON-RPC URL. */
  public String url() {
    return url;
  }

  Web3j web3j() {
    return web3j;
  }

  /**
   * Compiles {@code src/test/resources/evm/<name>.sol} with the pinned solcjs and returns the
   * contract's creation bytecode.
   */
  static String compile(String name) throws IOException, InterruptedException {
    requireInstalled();
    Files.createDirectories(LOGS);
    Path source = MODULE.resolve("src/test/resources/evm").resolve(name + ".sol").toAbsolutePath();
    Path out = LOGS.resolve(name + ".json").toAbsolutePath();
    Path err = LOGS.resolve(name + ".solc.log").toAbsolutePath();
    Process solc =
        new ProcessBuilder("node", "compile.js", source.toString())
            .directory(NODE_DIR.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!solc.waitFor(120, TimeUnit.SECONDS)) {
      solc.destroyForcibly();
      fail("solc did not compile " + source + " within 120 s");
    }
    if (solc.exitValue() != 0) {
      fail("solc could not compile " + source + ":\n" + Files.readString(err));
    }
    JsonNode contracts = JSON.readTree(out.toFile());
    return contracts.path(name).path("bytecode").asText();
  }

  /** {@link #compile} on a thread of its own. */
  static CompletableFuture<String> compileAsync(String name) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return compile(name);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  /** Deploys {@code TestToken}: the payer receives the whole supply. */
  String deployToken(String bytecode, String name, String symbol, int decimals, BigInteger supply)
      throws IOException {
    String args =
        FunctionEncoder.encodeConstructor(
            List.of(
                new Utf8String(name),
                new Utf8String(symbol),
                new Uint8(decimals),
                new Uint256(supply)));
    TransactionReceipt receipt = send(PAYER, null, BigInteger.ZERO, bytecode + args);
    if (!receipt.isStatusOK()) {
      fail("deploying " + symbol + " failed: " + receipt);
    }
    return receipt.getContractAddress();
  }

  /** Sends wei from one account to another. */
  public TransactionReceipt sendEth(Credentials from, String to, BigInteger wei)
      throws IOException {
    return send(from, to, wei, "");
  }

  /** Sends wei in a type-2 (EIP-1559) transaction, as today's wallets do. */
  TransactionReceipt sendEthEip1559(Credentials from, String to, BigInteger wei)
      throws IOException {
    BigInteger tip = BigInteger.TEN.pow(9);
    BigInteger maxFee = call(web3j.ethGasPrice()).getGasPrice().multiply(BigInteger.TWO).add(tip);
    RawTransaction tx =
        RawTransaction.createEtherTransaction(
            CHAIN_ID, nonce(from), BigInteger.valueOf(21_000), to, wei, tip, maxFee);
    return sendSigned(TransactionEncoder.signMessage(tx, from));
  }

  /** Calls {@code transfer(to, value)} on a token; the receipt's status tells if it reverted. */
  TransactionReceipt sendToken(Credentials from, String token, String to, BigInteger value)
      throws IOException {
    String data =
        FunctionEncoder.encode(
            new Function("transfer", List.of(new Address(to), new Uint256(value)), List.of()));
    return send(from, token, BigInteger.ZERO, data);
  }

  /** Mines {@code blocks} empty blocks. */
  public void mine(int blocks) throws IOException {
    for (int i = 0; i < blocks; i++) {
      call(new Request<>("evm_mine", List.of(), rpc, VoidResponse.class));
    }
  }

  /**
   * Signs and sends a legacy transaction with a fixed gas limit (no estimate, so a transaction that
   * reverts is still sent and mined) and returns its receipt.
   */
  private TransactionReceipt send(Credentials from, String to, BigInteger value, String data)
      throws IOException {
    BigInteger gasPrice = call(web3j.ethGasPrice()).getGasPrice();
    RawTransaction tx =
        to == null
            ? RawTransaction.createContractTransaction(
                nonce(from), gasPrice, GAS_LIMIT, value, data)
            : RawTransaction.createTransaction(nonce(from), gasPrice, GAS_LIMIT, to, value, data);
    return sendSigned(TransactionEncoder.signMessage(tx, CHAIN_ID, from));
  }

  private BigInteger nonce(Credentials from) throws IOException {
    return call(web3j.ethGetTransactionCount(from.getAddress(), DefaultBlockParameterName.PENDING))
        .getTransactionCount();
  }

  private TransactionReceipt sendSigned(byte[] signed) throws IOException {
    EthSendTransaction sent = call(web3j.ethSendRawTransaction(Numeric.toHexString(signed)));
    return call(web3j.ethGetTransactionReceipt(sent.getTransactionHash()))
        .getTransactionReceipt()
        .orElseThrow(() -> new AssertionError("automine left " + sent.getTransactionHash()));
  }

  private static <T extends Response<?>> T call(Request<?, T> request) throws IOException {
    T response = request.send();
    if (response.hasError()) {
      throw new IOException(request.getMethod() + ": " + response.getError().getMessage());
    }
    return response;
  }

  @Override
  public void close() {
    web3j.shutdown();
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running or has run.
    }
  }

  private void stopProcess() {
    destroyTree(process);
  }

  private static void destroyTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * Copies the node's output to a log file (its pipe must be read or the node blocks) and completes
   * when it prints that it listens; fails when it exits first.
   */
  private static CompletableFuture<Void> drain(Process process, Path log) {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter out =
                      new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.println(line);
                  if (line.contains("Started HTTP and WebSocket JSON-RPC server at")) {
                    listening.complete(null);
                  }
                }
              } catch (IOException e) {
                listening.completeExceptionally(e);
              }
              listening.completeExceptionally(
                  new IOException("hardhat node exited; its output is in " + log.toAbsolutePath()));
            },
            "local-chain-output");
    reader.setDaemon(true);
    reader.start();
    return listening;
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  private static void requireInstalled() throws InterruptedException {
    try {
      Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      version.getInputStream().readAllBytes();
      if (version.waitFor() != 0) {
        fail("`node --version` failed: install Node.js 20, then " + INSTALL);
      }
    } catch (IOException e) {
      fail(
          "Node.js is not installed (the EVM tests run a local hardhat chain): install Node.js 20,"
              + " then "
              + INSTALL);
    }
    if (!Files.isRegularFile(HARDHAT) || !Files.isRegularFile(SOLC)) {
      fail("the EVM tests' npm packages (hardhat, solc) are not installed: run " + INSTALL);
    }
  }

  /** A JSON-RPC answer whose result is not needed. */
  public static final class VoidResponse extends Response<Object> {}
}
