/**
 * The {@code agentchat} command line: one small picocli class per subcommand over the client
 * library and the relay. Data goes to stdout, diagnostics to stderr; exit codes are those of {@link
 * io.agentchat.cli.AgentChatBaseCommand}.
 */
package io.agentchat.cli;
