package io.agentchat.wallet.evm;

/** Echoes what a user gave in a refusal, shortened so a long input cannot flood the reply. */
final class Quoted {
  private static final int MAX = 80;

  private Quoted() {}

  static String shortened(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= MAX ? text : text.substring(0, MAX) + "…";
  }
}
