/**
 * {@code agentchat mcp}: the agent's tools as a Model Context Protocol server over stdio, for LLM
 * agents whose host speaks MCP. Built on the official MCP Java SDK; every tool is a call on an
 * {@link io.agentchat.client.AgentSession}.
 */
package io.agentchat.cli.mcp;
