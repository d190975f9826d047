package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code agentchat serve} as an operator runs it: its own JVM, on port 0, with the shipped logging
 * setup, its stderr (JSON log lines) kept in a file. Close it in the test's clean-up: a server
 * still running is stopped as an operator would, by SIGTERM so that it stops its embedded database
 * too, and killed with whatever it started if that hangs.
 */
final class ServeProcess {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;
  private final BufferedReader stdout;
  private String url;

  private ServeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code serve --port 0 --data-dir dataDir} followed by {@code flags}, with its stderr
   * written to {@code log}.
   */
  static ServeProcess start(Path dataDir, Path log, String... flags) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                // The shipped logging setup, not the tests' quieter one.
                "-Dlogback.configurationFile=logback.xml",
                AgentChatCommand.class.getName(),
                "serve",
                "--port",
                "0",
                "--data-dir",
                dataDir.toString()));
    command.addAll(List.of(flags));
    return new ServeProcess(new ProcessBuilder(command).redirectError(log.toFile()).start(), log);
  }

  /**
   * The first line on stdout, the relay's {@code ws://127.0.0.1:port}: printed once chat runs and
   * the marketplace's first start has succeeded or failed. Fails the test if no such line comes
   * within {@code limit}.
   */
  String url(Duration limit) throws Exception {
    if (url == null) {
      String line =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return stdout.readLine();
                    } catch (IOException e) {
                      return null;
                    }
                  })
              .get(limit.toSeconds(), TimeUnit.SECONDS);
      assertTrue(
          line != null && line.matches("ws://127\\.0\\.0\\.1:\\d+"), "address line: " + line);
      url = line;
    }
    return url;
  }

  /** The serve process: its pid, its children, whether it is alive. */
  ProcessHandle handle() {
    return process.toHandle();
  }

  /** SIGTERM: how an operator stops serve. */
  void sigterm() {
    process.destroy();
  }

  /** SIGKILL: a crash, as far as serve can tell. */
  void sigkill() {
    process.destroyForcibly();
  }

  /** Waits at most {@code limit} for the process to exit; true if it did. */
  boolean awaitExit(Duration limit) throws InterruptedException {
    return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The exit code of a process that has exited. */
  int exitValue() {
    return process.exitValue();
  }

  /** Every line serve has written to stderr so far. */
  List<String> logLines() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8);
  }

  /** The first JSON log line with this {@code event}; fails the test if there is none. */
  JsonNode event(String name) throws IOException {
    for (String line : logLines()) {
      if (line.contains("\"" + name + "\"")) {
        JsonNode entry = JSON.readTree(line);
        if (name.equals(entry.path("event").asText())) {
          return entry;
        }
      }
    }
    throw new AssertionError("no " + name + " in " + Files.readString(log));
  }

  /** Stops serve if it still runs: SIGTERM, then SIGKILL for it and what it started. */
  void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    // Taken before they are orphaned: once serve is gone they are nobody's descendants.
    List<ProcessHandle> started = process.descendants().toList();
    process.destroy();
    if (!awaitExit(STOP_WAIT)) {
      process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    started.forEach(ProcessHandle::destroyForcibly);
  }
}
