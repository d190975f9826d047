package io.agentchat.marketplace.store;

/** What a party can do to a proposal once it exists. */
public enum ProposalVerb {
  ACCEPT,
  REJECT,
  COMPLETE,
  DISPUTE
}
