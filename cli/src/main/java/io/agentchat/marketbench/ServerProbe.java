package io.agentchat.marketbench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a local process's memory (VmRSS, VmHWM from {@code /proc/<pid>/status}) and CPU time
 * ({@code /proc/<pid>/stat}), keeping the peak RSS from a sample every quarter second on a daemon
 * thread. Linux only; it reads files and never signals the process. Thread-safe.
 */
final class ServerProbe implements AutoCloseable {
  /** Kernel clock ticks per second for /proc times; 100 on every mainstream Linux build. */
  private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

  private final long pid;
  private final ScheduledExecutorService timer;
  private volatile long peakRssKib;

  private ServerProbe(long pid) {
    this.pid = pid;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "market-bench-rss");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::memory, 0, 250, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts sampling {@code pid}.
   *
   * @throws IllegalArgumentException when the process's status cannot be read
   */
  static ServerProbe start(long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.isReadable(status)) {
      throw new IllegalArgumentException("--server-pid " + pid + ": cannot read " + status);
    }
    return new ServerProbe(pid);
  }

  long pid() {
    return pid;
  }

  long peakRssKib() {
    return peakRssKib;
  }

  /** VmRSS and VmHWM now, in KiB (zeros once the process is gone); updates the peak. */
  Memory memory() {
    long rss = 0;
    long hwm = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"),
          StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.trim().split("\\s+")[1]);
        } else if (line.startsWith("VmHWM:")) {
          hwm = Long.parseLong(line.trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return new Memory(0, 0);
    }
    synchronized (this) {
      peakRssKib = Math.max(peakRssKib, rss);
    }
    return new Memory(rss, hwm);
  }

  /** The process's user + system CPU time so far in nanoseconds, -1 when unreadable. */
  long cpuNanos() {
    return cpuNanos(Long.toString(pid));
  }

  /** CPU time of {@code /proc/<which>} ({@code "self"} for this JVM), -1 when unreadable. */
  static long cpuNanos(String which) {
    try {
      String stat = Files.readString(Path.of("/proc", which, "stat"), StandardCharsets.UTF_8);
      // The command name may contain spaces: count fields after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU time of process {@code pid} and its direct children (a Postgres postmaster and its
   * backends), in nanoseconds; -1 when the process is unreadable. A child that exits between two
   * readings takes its CPU time with it; a pooled server keeps its backends for the whole run.
   */
  static long treeCpuNanos(long pid) {
    long total = cpuNanos(Long.toString(pid));
    if (total < 0) {
      return -1;
    }
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        if (parent(proc) == pid) {
          total += Math.max(0, cpuNanos(proc.getFileName().toString()));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return total;
  }

  private static long parent(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    } catch (IOException | RuntimeException e) {
      return -1; // gone meanwhile
    }
  }

  /** Busy CPU time of the whole machine so far (all cores), in nanoseconds; -1 if unreadable. */
  static long machineBusyNanos() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.UTF_8).get(0)
          .trim().split("\\s+");
      long ticks = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
        ticks += Long.parseLong(f[i]);
      }
      return ticks * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** Resident memory and its high-water mark, KiB. */
  record Memory(long rssKib, long hwmKib) {}
}
