package io.agentchat.relay.impl;

/** The version reported by /health and the CLI. */
public final class RelayVersion {
  /** Semantic version of this build. */
  public static final String VERSION = "0.1.0";

  private RelayVersion() {}
}
