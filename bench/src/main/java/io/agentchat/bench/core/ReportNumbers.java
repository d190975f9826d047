package io.agentchat.bench.core;

import java.time.Duration;

/**
 * How reports write numbers, the same in both generators: JSON values to three decimals with null
 * for unknown, plain text without a needless ".0", and the units reports use (milliseconds, MiB,
 * seconds) from the units measured.
 */
public final class ReportNumbers {
  private ReportNumbers() {}

  /** {@code v} rounded to three decimals for JSON; null when NaN or infinite. */
  public static Double json(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 1000) / 1000.0;
  }

  /** {@code v} as text, without a fraction when it is whole ("50", "0.5"). */
  public static String plain(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** Nanoseconds in milliseconds. */
  public static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** KiB in MiB. */
  public static double mib(long kib) {
    return kib / 1024.0;
  }

  /** A duration in seconds, to the millisecond. */
  public static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
