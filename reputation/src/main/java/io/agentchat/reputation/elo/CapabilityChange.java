package io.agentchat.reputation.elo;

/**
 * How the parties' ratings for the deal's capability moved: by the same change as their overall
 * ratings, from the capability's own standing.
 *
 * @param name the capability, lower-cased
 * @param from the proposer's capability standing change
 * @param to the recipient's capability standing change
 */
public record CapabilityChange(String name, PartyChange from, PartyChange to) {}
