package io.agentchat.reputation.receipts.impl;

/** Short renderings of values inside problem messages, so each problem stays one readable line. */
public final class Show {
  private static final int HASH_CHARS = 12;
  private static final int TEXT_CHARS = 40;

  private Show() {}

  /** The first 12 characters of a hash and an ellipsis; {@code null} for null. */
  public static String hash(String hash) {
    if (hash == null) {
      return "null";
    }
    return hash.length() <= HASH_CHARS ? hash : hash.substring(0, HASH_CHARS) + "…";
  }

  /** Text cut to 40 characters, with line breaks shown as spaces. */
  public static String clip(String text) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() <= TEXT_CHARS ? line : line.substring(0, TEXT_CHARS) + "…";
  }
}
