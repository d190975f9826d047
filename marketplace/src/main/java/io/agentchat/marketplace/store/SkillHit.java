package io.agentchat.marketplace.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.marketplace.spi.Standing;

/**
 * One skill matching a search.
 *
 * @param agentId bare id of the agent that registered it
 * @param body the skill object as registered, extra members included, in registration order; a
 *     fresh copy the caller may change
 * @param registeredAt when the registration holding it was made (epoch ms)
 * @param agent the agent's overall standing
 * @param skill the agent's standing for this skill's capability (its overall one if unrated there)
 */
public record SkillHit(
    String agentId, ObjectNode body, long registeredAt, Standing agent, Standing skill) {}
