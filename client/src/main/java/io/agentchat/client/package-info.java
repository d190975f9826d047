/**
 * A Java client for AgentChat relays. {@link io.agentchat.client.AgentChatClient} connects, logs in
 * (ephemerally or by proving an identity's key) and offers the chat and marketplace requests as
 * futures; the {@code agentchat} command line is a thin layer over it. {@link
 * io.agentchat.client.LoginHandshake} is the login alone, for tools that speak the wire themselves.
 */
package io.agentchat.client;
