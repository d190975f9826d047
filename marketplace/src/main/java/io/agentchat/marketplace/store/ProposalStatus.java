package io.agentchat.marketplace.store;

import java.util.Locale;

/**
 * Where a proposal stands. Pending moves to accepted, rejected or expired; accepted moves to
 * completed or disputed; the others are terminal. Accepted proposals never expire.
 */
public enum ProposalStatus {
  PENDING,
  ACCEPTED,
  REJECTED,
  COMPLETED,
  DISPUTED,
  EXPIRED;

  private final String wire = name().toLowerCase(Locale.ROOT);

  /** The lowercase form used on the wire and in the {@code proposals.status} column. */
  public String wire() {
    return wire;
  }

  /** Whether the proposal can still change (pending or accepted). */
  public boolean isOpen() {
    return this == PENDING || this == ACCEPTED;
  }

  /**
   * The status of a wire or column value.
   *
   * @throws IllegalArgumentException for anything but the six lowercase names
   */
  public static ProposalStatus fromWire(String wire) {
    for (ProposalStatus s : values()) {
      if (s.wire.equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("Unknown proposal status: " + wire);
  }
}
