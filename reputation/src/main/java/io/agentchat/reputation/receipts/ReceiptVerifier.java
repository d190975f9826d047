package io.agentchat.reputation.receipts;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentchat.identity.AgentKey;
import io.agentchat.reputation.receipts.impl.ChainTracker;
import io.agentchat.reputation.receipts.impl.CheckedReceipt;
import io.agentchat.reputation.receipts.impl.ExportFile;
import io.agentchat.reputation.receipts.impl.HeadRules;
import io.agentchat.reputation.receipts.impl.KeyCache;
import io.agentchat.reputation.receipts.impl.ReceiptRules;
import io.agentchat.reputation.receipts.impl.Show;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Verifies a receipts export offline (RECEIPTS.md): every receipt's shape, party signatures, ids,
 * hash and server signature; the exported agent's hash chain; and the signed HEAD that ends the
 * file. It streams: JSONL is read line by line and a JSON document with Jackson's streaming parser,
 * so memory stays bounded: a window of receipts in flight, plus a 64-bit fingerprint of each
 * proposal id for the duplicate check (about 32 bytes per receipt). Signatures are checked on a
 * small pool of worker threads, a bounded window of receipts at a time; problems still come out in
 * file order.
 *
 * <p>Immutable and thread-safe; each {@link #verify} call uses threads of its own and blocks until
 * the file is read, so call it off any event loop.
 */
public final class ReceiptVerifier {
  /** Receipts being checked at once per worker: enough to keep workers busy, small in memory. */
  private static final int IN_FLIGHT_PER_THREAD = 64;

  private final AgentKey serverKey;
  private final int threads;

  private ReceiptVerifier(AgentKey serverKey, int threads) {
    this.serverKey = serverKey;
    this.threads = threads;
  }

  /**
   * A verifier that trusts the server key named in each file's HEAD and uses one worker thread per
   * available processor.
   */
  public static ReceiptVerifier create() {
    return new ReceiptVerifier(null, Runtime.getRuntime().availableProcessors());
  }

  /**
   * The same verifier, but receipts and the HEAD must be signed by {@code key}; a file whose HEAD
   * names another key fails. Without it a file proves only that some key signed it consistently.
   */
  public ReceiptVerifier expectingServer(AgentKey key) {
    return new ReceiptVerifier(Objects.requireNonNull(key, "key"), threads);
  }

  /** The same verifier with {@code count} worker threads (at least 1). */
  public ReceiptVerifier withThreads(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    return new ReceiptVerifier(serverKey, count);
  }

  /**
   * One thing wrong in a file: a bad receipt (all its faults in one message, separated by {@code ";
   * "}), or a fault of the file as a whole (the HEAD, a cut-off end) with index 0.
   *
   * @param line the line where the receipt or fault is, 1-based; 0 when it is about the whole file
   * @param index the receipt's position among the file's receipts, 1-based; 0 for the whole file
   * @param proposalId the receipt's proposal id, or null when unknown or for the whole file
   * @param message what is wrong, in plain words
   */
  public record Problem(long line, long index, String proposalId, String message) {
    /** Whether it is about the file as a whole rather than one receipt. */
    public boolean aboutFile() {
      return index == 0;
    }
  }

  /**
   * The totals of one verification.
   *
   * @param receipts how many receipt records the file holds (bad ones included)
   * @param badReceipts how many of them have at least one problem
   * @param fileProblems how many problems concern the file as a whole
   * @param agent the exported agent named by the HEAD, or null without a readable HEAD
   * @param head the newest receipt's hash as the HEAD states it, or null
   * @param server the id of the key the signatures were checked with, or null when none was known
   */
  public record Report(
      long receipts,
      long badReceipts,
      long fileProblems,
      String agent,
      String head,
      String server) {
    /** Whether every receipt and the file as a whole verified. */
    public boolean ok() {
      return badReceipts == 0 && fileProblems == 0;
    }
  }

  /**
   * Verifies one export file.
   *
   * @param file a JSONL export or a JSON export document
   * @param problems receives each problem as soon as it is known, in file order, on the calling
   *     thread; problems of the file as a whole come last
   * @return the totals
   * @throws ReceiptFileException if the file cannot be used at all (missing, unreadable, empty, not
   *     JSON)
   */
  public Report verify(Path file, Consumer<Problem> problems) throws ReceiptFileException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(problems, "problems");
    ExportFile.Outline outline = ExportFile.outline(file);
    List<String> fileProblems = new ArrayList<>();
    HeadRules.Head head = outline.head() == null ? null : HeadRules.read(outline.head());
    AgentKey sealKey = serverKey != null ? serverKey : head == null ? null : head.serverKey();
    if (outline.problem() != null) {
      fileProblems.add(outline.problem());
    }
    if (sealKey == null) {
      fileProblems.add("server signatures not checked: no readable HEAD names the server's key");
    }
    if (serverKey != null
        && head != null
        && head.serverKey() != null
        && !serverKey.equals(head.serverKey())) {
      fileProblems.add(
          "the HEAD was issued by @"
              + head.serverKey().agentId()
              + ", not by the expected server @"
              + serverKey.agentId());
    }
    Run run = new Run(new ReceiptRules(sealKey, new KeyCache()), head, outline.format(), problems);
    String stopped;
    try (ExportFile.Reader reader = ExportFile.open(file, outline.format())) {
      stopped = run.readAll(reader);
    } catch (IOException e) {
      throw new ReceiptFileException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    if (stopped != null && !stopped.equals(outline.problem())) {
      fileProblems.add(stopped);
    }
    fileProblems.addAll(run.afterReading());
    if (head != null) {
      fileProblems.addAll(HeadRules.verify(head, sealKey, run.chain));
    }
    for (String problem : fileProblems) {
      problems.accept(new Problem(0, 0, null, problem));
    }
    return new Report(
        run.receipts,
        run.bad,
        fileProblems.size(),
        head == null ? null : head.agent(),
        head == null ? null : head.head(),
        sealKey == null ? null : "@" + sealKey.agentId());
  }

  /** The state of one verification: the window of receipts in flight and the running checks. */
  private final class Run {
    private final ReceiptRules rules;
    private final Consumer<Problem> sink;
    private final ChainTracker chain;
    private long receipts;
    private long bad;
    private final ExportFile.Format format;
    private final List<Long> headLines = new ArrayList<>();
    private boolean receiptAfterHead;

    Run(ReceiptRules rules, HeadRules.Head head, ExportFile.Format format, Consumer<Problem> sink) {
      this.rules = rules;
      this.format = format;
      this.sink = sink;
      this.chain = new ChainTracker(head == null ? null : head.agent());
    }

    /** Reads and checks every record; returns why reading stopped early, or null. */
    String readAll(ExportFile.Reader reader) throws IOException {
      ExecutorService pool = Executors.newFixedThreadPool(threads, new WorkerThreads());
      Deque<Pending> window = new ArrayDeque<>();
      try {
        for (ExportFile.Entry entry = reader.next(); entry != null; entry = reader.next()) {
          ExportFile.Entry record = entry;
          window.add(new Pending(record.line(), pool.submit(() -> check(record))));
          if (window.size() >= threads * IN_FLIGHT_PER_THREAD) {
            settle(window.poll());
          }
        }
        while (!window.isEmpty()) {
          settle(window.poll());
        }
        return reader.stoppedBecause();
      } finally {
        pool.shutdownNow();
      }
    }

    /** Problems seen only once everything was read. */
    List<String> afterReading() {
      List<String> problems = new ArrayList<>();
      String lines = headLines.stream().map(String::valueOf).collect(Collectors.joining(", "));
      if (format == ExportFile.Format.JSON && !headLines.isEmpty()) {
        // The document's HEAD is its "head" member; one among the receipts does not belong there.
        problems.add("a HEAD inside receipts (line " + lines + ")");
      } else if (headLines.size() > 1) {
        problems.add("more than one HEAD line (lines " + lines + ")");
      }
      if (format == ExportFile.Format.JSONL && receiptAfterHead) {
        problems.add(
            "receipts follow the HEAD on line " + headLines.get(0) + ": the HEAD must come last");
      }
      return problems;
    }

    private CheckedReceipt check(ExportFile.Entry entry) {
      if (entry.problem() != null) {
        return CheckedReceipt.unreadable(entry.problem());
      }
      try {
        return rules.check(entry.tree());
      } catch (JsonProcessingException e) {
        String reason = e.getOriginalMessage().lines().findFirst().orElse("");
        return CheckedReceipt.unreadable("not valid JSON (" + Show.clip(reason) + ")");
      } catch (RuntimeException e) {
        // A bug in a rule must not hide the other receipts' results.
        return CheckedReceipt.unreadable("could not be checked: " + e);
      }
    }

    private void settle(Pending pending) {
      CheckedReceipt checked = pending.result();
      if (checked.kind() == CheckedReceipt.Kind.HEAD) {
        headLines.add(pending.line());
        return;
      }
      receipts++;
      receiptAfterHead |= !headLines.isEmpty();
      List<String> found = new ArrayList<>(checked.problems());
      chain.accept(checked, pending.line(), found);
      if (!found.isEmpty()) {
        bad++;
        sink.accept(
            new Problem(pending.line(), receipts, checked.proposalId(), String.join("; ", found)));
      }
    }
  }

  /** A record being checked by a worker. */
  private record Pending(long line, Future<CheckedReceipt> future) {
    CheckedReceipt result() {
      try {
        return future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while verifying receipts", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a receipt check failed", e.getCause());
      }
    }
  }

  /** Daemon workers, so a verification abandoned by an exception never keeps the JVM alive. */
  private static final class WorkerThreads implements java.util.concurrent.ThreadFactory {
    private static final AtomicInteger NEXT = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "receipt-verifier-" + NEXT.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
