package io.agentchat.server;

import io.agentchat.client.AgentChatException;
import java.util.concurrent.CompletionException;

/** The ERROR a request is refused with, for tests that expect a refusal. */
public final class Refusals {
  private Refusals() {}

  /**
   * Runs a request that must be refused and returns the refusal.
   *
   * @throws AssertionError when it succeeds
   */
  public static AgentChatException of(Runnable request) {
    try {
      request.run();
    } catch (CompletionException e) {
      if (e.getCause() instanceof AgentChatException refused) {
        return refused;
      }
      throw e;
    } catch (AgentChatException refused) {
      return refused;
    }
    throw new AssertionError("expected a refusal");
  }
}
