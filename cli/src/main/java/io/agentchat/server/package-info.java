/**
 * The server assembly behind {@code agentchat serve}: {@link io.agentchat.server.AgentChatServer}
 * wires the relay, the shared database, the marketplace and its settlement plug-ins, starts them in
 * order, reports their readiness on {@code /health} and stops them in reverse order.
 */
package io.agentchat.server;
