package io.agentchat.marketplace.spi;

/** Why a proposal ends without being settled, so that whatever a plug-in locked is given back. */
public enum ReleaseReason {
  /** The recipient rejected it. */
  REJECTED,
  /** Its expiry came before anyone acted on it. */
  EXPIRED
}
