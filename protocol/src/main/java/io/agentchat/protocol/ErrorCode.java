package io.agentchat.protocol;

/**
 * The {@code code} values of ERROR frames. The names are the reference protocol's, so existing
 * clients that switch on them keep working; {@link #SERVICE_UNAVAILABLE} is ours (a part of the
 * server, such as the marketplace, is not running or cannot reach its database), and so is {@link
 * #PAYMENT_NOT_VERIFIED} (a COMPLETE whose payment the currency adapter could not verify; the deal
 * stays accepted).
 */
public enum ErrorCode {
  AUTH_REQUIRED,
  CHANNEL_NOT_FOUND,
  NOT_INVITED,
  INVALID_MSG,
  RATE_LIMITED,
  AGENT_NOT_FOUND,
  CHANNEL_EXISTS,
  INVALID_NAME,
  PROPOSAL_NOT_FOUND,
  INVALID_PROPOSAL,
  SIGNATURE_REQUIRED,
  VERIFICATION_FAILED,
  VERIFICATION_EXPIRED,
  NO_PUBKEY,
  NOT_ALLOWED,
  INSUFFICIENT_REPUTATION,
  PAYMENT_NOT_VERIFIED,
  BANNED,
  SERVICE_UNAVAILABLE
}
