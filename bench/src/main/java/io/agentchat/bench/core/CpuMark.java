package io.agentchat.bench.core;

/**
 * The CPU clocks at one instant: the server's, its database's, this JVM's and the whole machine's
 * busy time, in nanoseconds (-1 where unknown). Two marks taken at the edges of a stretch of wall
 * time give the {@link CpuShares} of that stretch.
 */
public record CpuMark(long wall, long server, long database, long bench, long machine) {

  /**
   * Reads the clocks now.
   *
   * @param server the server's sampler, or null when no server pid was given
   * @param databasePid a Postgres postmaster whose CPU counts with its backends', or 0 for none
   */
  public static CpuMark now(ProcessSampler server, long databasePid) {
    return new CpuMark(
        System.nanoTime(),
        server == null ? -1 : server.cpuNanos(),
        databasePid > 0 ? ProcessSampler.treeCpuNanos(databasePid) : -1,
        ProcessSampler.cpuNanos("self"),
        ProcessSampler.machineBusyNanos());
  }

  /** The shares of one core each part used between {@code start} and this mark. */
  public CpuShares since(CpuMark start) {
    double wallNanos = Math.max(1, wall - start.wall);
    return new CpuShares(
        share(start.server, server, wallNanos),
        share(start.database, database, wallNanos),
        share(start.bench, bench, wallNanos),
        share(start.machine, machine, wallNanos));
  }

  private static double share(long from, long to, double wallNanos) {
    return from < 0 || to < 0 ? Double.NaN : 100.0 * (to - from) / wallNanos;
  }
}
