/**
 * Portable receipts: one signed, hash-chained JSON object per settled COMPLETE or DISPUTE, sealed
 * by the server's own key ({@link io.agentchat.reputation.receipts.ServerKey}, {@link
 * io.agentchat.reputation.receipts.ReceiptSeal}), and an offline verifier for an agent's export
 * ({@link io.agentchat.reputation.receipts.ReceiptVerifier}). The format is described in {@code
 * reputation/RECEIPTS.md}. Implementation details live in {@code impl} and are not API.
 */
package io.agentchat.reputation.receipts;
