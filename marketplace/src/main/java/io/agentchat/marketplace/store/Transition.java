package io.agentchat.marketplace.store;

import java.util.Objects;

/**
 * What a {@link TransitionRule} decided about a proposal, inside the transaction that holds its row
 * lock: refuse, store an updated proposal, or change nothing. Each carries the result the caller of
 * {@link ProposalRepository#transition} gets.
 *
 * @param <T> the result type
 */
public sealed interface Transition<T> {

  /** Refuse: nothing is changed and the transition's future fails with {@code reason}. */
  static <T> Transition<T> refuse(RuntimeException reason) {
    return new Refuse<>(reason);
  }

  /** Store {@code updated} (every mutable column) and complete with {@code result}. */
  static <T> Transition<T> update(Proposal updated, T result) {
    return new Update<>(updated, result);
  }

  /** Change nothing and complete with {@code result}. */
  static <T> Transition<T> none(T result) {
    return new None<>(result);
  }

  /** See {@link Transition#refuse}. */
  record Refuse<T>(RuntimeException reason) implements Transition<T> {
    public Refuse {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** See {@link Transition#update}. */
  record Update<T>(Proposal updated, T result) implements Transition<T> {
    public Update {
      Objects.requireNonNull(updated, "updated");
    }
  }

  /** See {@link Transition#none}. */
  record None<T>(T result) implements Transition<T> {}
}
