package io.agentchat.marketplace.store;

import io.vertx.core.json.JsonObject;

/**
 * A frame an agent missed while offline.
 *
 * @param id queue position: notices are delivered in increasing id order
 * @param agentId bare id of the agent it is for
 * @param frame the frame as it would have been sent (members in the order it was queued)
 */
public record Notice(long id, String agentId, JsonObject frame) {}
