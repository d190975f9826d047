package io.agentchat.reputation.store;

/**
 * A receipt as this server keeps it.
 *
 * @param seq the order it was counted (or kept) here
 * @param server the id ({@code @…}) of the server that issued it
 * @param proposalId the deal it settles
 * @param hash its {@code hash} member
 * @param body its exact text
 * @param issuedHere whether this server issued it
 * @param counted whether it counts in this server's ratings
 */
public record StoredReceipt(
    long seq,
    String server,
    String proposalId,
    String hash,
    String body,
    boolean issuedHere,
    boolean counted) {}
