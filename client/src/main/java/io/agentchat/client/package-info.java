/**
 * A Java client for AgentChat relays. {@link io.agentchat.client.AgentChatClient} connects, logs in
 * (ephemerally or by proving an identity's key) and offers the chat requests as futures; the {@code
 * agentchat} command line is a thin layer over it.
 */
package io.agentchat.client;
