package io.agentchat.bench.core;

/**
 * CPU used over a stretch of wall time, each in percent of one core ({@code NaN} when unknown): the
 * server, its database, the bench client itself and the whole machine. A machine share well above
 * the other three means other load disturbed the measurement.
 */
public record CpuShares(double server, double database, double bench, double machine) {
  /**
   * The machine's busy time not accounted for by the server, its database and the bench; NaN when
   * the server's share is unknown, since it would then be counted as other load.
   */
  public double other() {
    return machine - server - (Double.isNaN(database) ? 0 : database) - bench;
  }
}
