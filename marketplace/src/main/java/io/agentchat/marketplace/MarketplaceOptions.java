package io.agentchat.marketplace;

import io.agentchat.marketplace.spi.Settlement;
import io.agentchat.marketplace.spi.Standings;
import java.time.Duration;
import java.util.List;

/**
 * What an operator can tune about the marketplace, and the plug-ins the server assembly wires in.
 * Mutable builder; copy before sharing.
 */
public final class MarketplaceOptions {
  /** Results of a search when the query names no limit (the reference's default). */
  public static final int DEFAULT_SEARCH_LIMIT = 50;

  /** Largest page a search returns. */
  public static final int MAX_SEARCH_LIMIT = 500;

  /** Skills the registry holds at most (the search index keeps them all in memory). */
  public static final int DEFAULT_MAX_SKILLS = 1_000_000;

  /** Pending proposals one proposer may hold for agents this server has never seen. */
  public static final int DEFAULT_MAX_PENDING_TO_UNSEEN = 100;

  /** Three days for the other party to contest a dispute. */
  public static final Duration DEFAULT_DISPUTE_WINDOW = Duration.ofSeconds(259_200);

  /** A year: longer windows serve nobody, and keep the clock arithmetic far from overflow. */
  public static final Duration MAX_DISPUTE_WINDOW = Duration.ofDays(365);

  private Duration minProposalAge = Duration.ofSeconds(60);
  private Duration sweepInterval = Duration.ofSeconds(60);
  private Duration disputeWindow = DEFAULT_DISPUTE_WINDOW;
  private int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
  private int maxSkills = DEFAULT_MAX_SKILLS;
  private int maxPendingToUnseen = DEFAULT_MAX_PENDING_TO_UNSEEN;
  private List<Settlement> settlements = List.of();
  private Standings standings = Standings.NONE;

  /**
   * How long a proposal must have been accepted before it can be completed (0 disables). Counted
   * from acceptance: the reference counts from creation, which a proposer can satisfy alone.
   */
  public Duration minProposalAge() {
    return minProposalAge;
  }

  public MarketplaceOptions minProposalAge(Duration v) {
    minProposalAge = v;
    return this;
  }

  /** How often pending proposals past their expiry are marked expired. */
  public Duration sweepInterval() {
    return sweepInterval;
  }

  public MarketplaceOptions sweepInterval(Duration v) {
    sweepInterval = v;
    return this;
  }

  /**
   * How long the other party of a dispute has to contest it with its own DISPUTE (which makes it a
   * mutual fault, settled at once). An uncontested dispute settles in the disputer's favour at the
   * first sweep after its window closes. Zero settles every dispute as it is filed, in the
   * disputer's favour, as the reference does.
   */
  public Duration disputeWindow() {
    return disputeWindow;
  }

  /** See {@link #disputeWindow()}. */
  public MarketplaceOptions disputeWindow(Duration v) {
    if (v == null || v.isNegative() || v.compareTo(MAX_DISPUTE_WINDOW) > 0) {
      throw new IllegalArgumentException(
          "--dispute-window must be between 0 and "
              + MAX_DISPUTE_WINDOW.toSeconds()
              + " seconds (a year)");
    }
    disputeWindow = v;
    return this;
  }

  /** Verticle instances answering marketplace frames (one per core by default). */
  public int instances() {
    return instances;
  }

  public MarketplaceOptions instances(int v) {
    instances = v;
    return this;
  }

  /**
   * Skills all registrations may hold together; a registration that would pass it is refused. The
   * search index holds every skill in memory (up to ~700 bytes each), so this bounds its heap.
   */
  public int maxSkills() {
    return maxSkills;
  }

  public MarketplaceOptions maxSkills(int v) {
    maxSkills = v;
    return this;
  }

  /**
   * Proposals one proposer may keep pending for agents this server has never seen log in (they are
   * handed over at that agent's first login); 0 refuses proposals to unseen agents.
   */
  public int maxPendingToUnseen() {
    return maxPendingToUnseen;
  }

  public MarketplaceOptions maxPendingToUnseen(int v) {
    maxPendingToUnseen = v;
    return this;
  }

  /**
   * The settlement plug-ins, called in this order inside every verb's transaction. Wired explicitly
   * by the server assembly rather than found on the classpath: their order matters (a payment is
   * checked before ratings move) and each needs its own configuration from the server's flags.
   */
  public List<Settlement> settlements() {
    return settlements;
  }

  public MarketplaceOptions settlements(List<Settlement> v) {
    settlements = List.copyOf(v);
    return this;
  }

  /** Where search results' ratings come from ({@link Standings#NONE}: everyone at 1200/0). */
  public Standings standings() {
    return standings;
  }

  public MarketplaceOptions standings(Standings v) {
    standings = v;
    return this;
  }

  /** Checks the options; throws IllegalArgumentException with an operator-facing message. */
  public void validate() {
    if (maxPendingToUnseen < 0) {
      throw new IllegalArgumentException("--max-pending-to-unknown must be 0 or more");
    }
    if (minProposalAge.isNegative()) {
      throw new IllegalArgumentException("--min-proposal-age must be 0 or more seconds");
    }
    if (instances < 1) {
      throw new IllegalArgumentException("marketplace instances must be at least 1");
    }
    if (maxSkills < 1) {
      throw new IllegalArgumentException("--max-skills must be at least 1");
    }
    if (sweepInterval.toMillis() < 1) {
      throw new IllegalArgumentException("sweep interval must be positive");
    }
  }
}
