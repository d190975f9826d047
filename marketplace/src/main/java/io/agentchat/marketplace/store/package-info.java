/**
 * Postgres storage of the marketplace: one repository per bounded context (agents, skills,
 * proposals, notices) and the in-memory skill index. Every repository method is non-blocking and
 * returns a {@link io.vertx.core.Future}; repositories are thread-safe and may be shared by
 * verticles. Used only inside this module.
 */
package io.agentchat.marketplace.store;
