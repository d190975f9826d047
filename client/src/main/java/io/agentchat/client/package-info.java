/**
 * A Java client for AgentChat relays. {@link io.agentchat.client.AgentChatClient} connects, logs in
 * (ephemerally or by proving an identity's key) and offers the chat and marketplace requests as
 * futures; the {@code agentchat} command line is a thin layer over it. {@link
 * io.agentchat.client.LoginHandshake} is the login alone, for tools that speak the wire themselves.
 * {@link io.agentchat.client.ServerApi} reads a server's public HTTP API (standings, leaderboard,
 * receipts) and sends receipt imports.
 */
package io.agentchat.client;
