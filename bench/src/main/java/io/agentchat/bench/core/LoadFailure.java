package io.agentchat.bench.core;

/**
 * A run that could not set up its load or finish a phase in time: connections refused, logins,
 * joins or registrations failing or timing out. The message is one line a user can act on, with
 * counts; the command prints it and exits with {@link LoadCommand#FAILED}.
 */
public final class LoadFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public LoadFailure(String message) {
    super(message);
  }

  /**
   * A one-line description of any failure: the first line of its message, or of the first cause
   * that has one, or else its class name. Vert.x wraps socket errors in exceptions without a
   * message of their own.
   */
  public static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null || m.isBlank()
        ? t.getClass().getSimpleName()
        : m.lines().findFirst().orElse(m);
  }
}
