package io.agentchat.cli;

import io.agentchat.client.AgentChatException;
import io.agentchat.client.ServerApiException;
import io.agentchat.identity.IdentityFileException;
import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an exit code and a line on stderr. Users see {@code Error:
 * …} and never a stack trace; the trace of an unexpected failure goes to the debug log ({@code
 * AGENTCHAT_LOG_LEVEL=DEBUG}).
 */
final class CommandFailures {
  private static final Logger log = LoggerFactory.getLogger(CommandFailures.class);

  private CommandFailures() {}

  /** Reports {@code failure} on {@code err} and returns the exit code for it. */
  static int report(Throwable failure, PrintWriter err) {
    Throwable e = unwrap(failure);
    int code;
    String line;
    if (e instanceof CommandExit exit) {
      code = exit.code();
      line = exit.getMessage();
    } else if (e instanceof AgentChatException refused) {
      code = AgentChatBaseCommand.FAILURE;
      line = refused.describe();
    } else if (e instanceof ServerApiException api) {
      // A 400 means the server found a parameter the user gave unusable.
      code = api.status() == 400 ? AgentChatBaseCommand.BAD_INPUT : AgentChatBaseCommand.FAILURE;
      line = api.getMessage();
    } else if (e instanceof IdentityFileException bad) {
      code = AgentChatBaseCommand.FAILURE;
      line = bad.getMessage();
    } else if (e instanceof IllegalArgumentException bad) {
      code = AgentChatBaseCommand.BAD_INPUT;
      line = bad.getMessage();
    } else if (e instanceof TimeoutException) {
      code = AgentChatBaseCommand.FAILURE;
      line = "Timed out";
    } else {
      log.debug("Unexpected failure", e);
      code = AgentChatBaseCommand.UNEXPECTED_STATE;
      line = "Unexpected failure: " + e;
    }
    if (line != null) {
      err.println("Error: " + line);
    }
    err.flush();
    return code;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable current = e;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
