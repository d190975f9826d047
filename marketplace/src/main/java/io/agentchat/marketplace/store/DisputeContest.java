package io.agentchat.marketplace.store;

/**
 * The other party's DISPUTE on a proposal already disputed, sent within the contest window: it
 * contests the first dispute, which then settles as a mutual fault. Agent ids are bare, times epoch
 * milliseconds.
 *
 * @param proposalId the disputed proposal
 * @param agentId the party contesting (not the one that disputed)
 * @param at when it contests
 * @param reason the reason it gives
 * @param sig its signature of {@code DISPUTE|id|reason}
 */
public record DisputeContest(
    String proposalId, String agentId, long at, String reason, String sig) {}
