package io.agentchat.reputation;

import java.util.List;

/** A receipts file refused whole: it does not verify, or is not a receipts file at all. */
public final class ImportRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The problems, one per bad receipt or per defect of the file. */
  private final transient List<String> problems;

  /** A refusal listing what is wrong. */
  public ImportRefusedException(String summary, List<String> problems) {
    super(summary);
    this.problems = List.copyOf(problems);
  }

  /** What is wrong, one line each. */
  public List<String> problems() {
    return problems;
  }
}
