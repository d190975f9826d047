package io.agentchat.marketplace.spi;

/** Why a proposal ends without being settled, so that whatever a plug-in locked is given back. */
public enum ReleaseReason {
  /** The recipient rejected it. */
  REJECTED,
  /** Its expiry came before anyone acted on it. */
  EXPIRED,
  /**
   * It was accepted, and its expiry passed before either party completed or disputed it. The deal
   * stays accepted and can still be completed or disputed, but with nothing held for it any more
   * (the reference's escrow expiry, which it never ran).
   */
  LAPSED
}
