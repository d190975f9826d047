package io.agentchat.marketplace.store;

import java.util.Optional;

/**
 * Decides what happens to a proposal, given its current state read under a row lock (pending
 * proposals past their expiry are already expired). Runs on the event loop inside the transaction:
 * it must not block. Throwing is the same as {@link Transition#refuse}.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TransitionRule<T> {
  /**
   * @param current the proposal, or empty when no proposal has that id
   * @return the decision
   */
  Transition<T> apply(Optional<Proposal> current);
}
