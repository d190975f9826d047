/**
 * Postgres storage of the marketplace: the database lifecycle ({@link
 * io.agentchat.marketplace.store.MarketplaceDatabase}, embedded or external, migrated by Flyway)
 * and one repository per bounded context (agents, skills, proposals, notices). Every repository
 * method is non-blocking and returns a {@link io.vertx.core.Future}; repositories are thread-safe
 * and may be shared by verticles.
 */
package io.agentchat.marketplace.store;
