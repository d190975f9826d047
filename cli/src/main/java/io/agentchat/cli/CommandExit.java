package io.agentchat.cli;

/**
 * Ends a command with an exit code and, optionally, one line for the user. Thrown instead of
 * calling {@code System.exit}, so commands stay testable in-process; {@link CommandFailures} turns
 * it into the code.
 */
final class CommandExit extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;

  CommandExit(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** The user gave something unusable (exit code 2). */
  static CommandExit badInput(String message) {
    return new CommandExit(AgentChatBaseCommand.BAD_INPUT, message);
  }

  /** The command could not do its job (exit code 1). */
  static CommandExit failure(String message) {
    return new CommandExit(AgentChatBaseCommand.FAILURE, message);
  }

  int code() {
    return code;
  }
}
