package io.agentchat.marketplace.store;

/**
 * A frame an agent missed while offline.
 *
 * @param id queue position: notices are delivered in increasing id order
 * @param agentId bare id of the agent it is for
 * @param frame the frame's JSON text, exactly as it is to be sent
 */
public record Notice(long id, String agentId, String frame) {}
