/**
 * The database every module shares: an embedded Postgres kept under a data directory, or an
 * external server, with one reactive pool and one Flyway history per module's schema.
 */
package io.agentchat.marketplace.db;
