/**
 * Reputation: ELO ratings moved by every completion and dispute, ELO stakes held in escrow, and
 * receipts that anyone can verify offline. A settlement plug-in of the marketplace (it knows the
 * marketplace only through {@code io.agentchat.marketplace.spi}).
 */
package io.agentchat.reputation;
