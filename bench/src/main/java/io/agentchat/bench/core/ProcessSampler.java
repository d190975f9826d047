package io.agentchat.bench.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples another process's memory from {@code /proc/<pid>/status} (VmRSS, VmHWM) on its own daemon
 * thread, keeping the peak, and reads CPU time from {@code /proc/<pid>/stat}. Linux only; the bench
 * reads files, never signals the process. Thread-safe.
 */
public final class ProcessSampler implements AutoCloseable {
  /** Kernel clock ticks per second for /proc stat times; 100 on every mainstream Linux build. */
  private static final long CLOCK_TICKS = 100;

  private final long pid;
  private final ScheduledExecutorService timer;
  private volatile long peakRssKib;
  private volatile boolean exited;

  private ProcessSampler(long pid, long everyMs) {
    this.pid = pid;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-rss-sampler");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::sample, 0, everyMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts sampling {@code pid} every {@code everyMs}.
   *
   * @throws IllegalArgumentException when the process's status cannot be read
   */
  public static ProcessSampler start(long pid, long everyMs) {
    if (!Files.isReadable(status(pid))) {
      throw new IllegalArgumentException("--server-pid " + pid + ": cannot read " + status(pid));
    }
    return new ProcessSampler(pid, everyMs);
  }

  /** The sampled process. */
  public long pid() {
    return pid;
  }

  /** Reads VmRSS and VmHWM now (KiB), updating the peak; zeros once the process is gone. */
  public Memory sample() {
    try {
      long rss = 0;
      long hwm = 0;
      for (String line : Files.readAllLines(status(pid), StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kib(line);
        }
      }
      synchronized (this) {
        peakRssKib = Math.max(peakRssKib, rss);
      }
      return new Memory(rss, hwm);
    } catch (IOException | RuntimeException e) {
      exited = true;
      return new Memory(0, 0);
    }
  }

  /** The largest VmRSS seen by any sample so far, KiB. */
  public long peakRssKib() {
    return peakRssKib;
  }

  /** True once a sample found the process gone. */
  public boolean exited() {
    return exited;
  }

  /** The process's user + system CPU time so far, in nanoseconds; -1 when unreadable. */
  public long cpuNanos() {
    return cpuNanos(Long.toString(pid));
  }

  /** CPU time of {@code /proc/<which>} ("self" for this JVM), in nanoseconds; -1 if unreadable. */
  public static long cpuNanos(String which) {
    try {
      String stat = Files.readString(Path.of("/proc", which, "stat"), StandardCharsets.UTF_8);
      // The command name may contain spaces; fields are counted after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * (1_000_000_000L / CLOCK_TICKS);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU time every core of the machine spent busy so far (user, nice, system, irq, softirq, steal
   * from {@code /proc/stat}), in nanoseconds; -1 when unreadable. Compared with the server and the
   * bench, it shows how much other load shared the machine.
   */
  public static long machineBusyNanos() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.UTF_8).get(0);
      String[] f = first.trim().split("\\s+");
      long ticks = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        ticks += Long.parseLong(f[i]);
      }
      return ticks * (1_000_000_000L / CLOCK_TICKS);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU time of process {@code pid} and its direct children (a Postgres postmaster and its
   * backends), in nanoseconds; -1 when the process is unreadable. A child that exits between two
   * readings takes its CPU time with it; a pooled server keeps its backends for the whole run.
   */
  public static long treeCpuNanos(long pid) {
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

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static Path status(long pid) {
    return Path.of("/proc", Long.toString(pid), "status");
  }

  private static long kib(String line) {
    String[] parts = line.trim().split("\\s+");
    return Long.parseLong(parts[1]);
  }

  /** Resident memory now and the kernel's high-water mark, KiB. */
  public record Memory(long rssKib, long hwmKib) {}
}
