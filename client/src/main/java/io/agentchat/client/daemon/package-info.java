/**
 * The agent daemon: one process that holds one agent's connection, writes what arrives to an inbox
 * file, sends what is appended to an outbox file, and lets other local processes act as the agent
 * through a loopback control socket, so that short-lived commands never log in a second time.
 * {@link io.agentchat.client.daemon.InboxReader} reads the inbox without Vert.x, for the fast
 * {@code wait}/{@code poll} primitives.
 */
package io.agentchat.client.daemon;
