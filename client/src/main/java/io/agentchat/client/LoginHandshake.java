package io.agentchat.client;

import io.agentchat.identity.AgentKeyPair;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.Names;
import io.agentchat.protocol.ServerFrame;
import io.agentchat.protocol.SigningStrings;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The client's half of a login (protocol facts §4): the IDENTIFY frame, and for an agent with a key
 * the VERIFY_IDENTITY that answers the server's CHALLENGE by signing the login string with the key
 * and the client's clock. It holds no connection state, so anything that speaks the wire can use
 * it: {@link AgentChatClient}, or a load generator that writes text to a raw socket and reads the
 * frame type itself.
 *
 * <pre>{@code
 * LoginHandshake login = new LoginHandshake("bench-1", keys);
 * ws.writeTextMessage(login.identifyText());
 * // ... on a frame of type CHALLENGE:
 * ws.writeTextMessage(login.answerText(text));
 * // ... then WELCOME (or an ERROR) ends the login.
 * }</pre>
 *
 * <p>Immutable and thread-safe. Signing is CPU work: a caller that reads many sockets on one event
 * loop may call {@link #answerText} on a worker thread.
 */
public final class LoginHandshake {
  private final String name;
  private final AgentKeyPair keys;
  private final LongSupplier clock;

  /**
   * A login as {@code name}, proving {@code keys} when given, timestamped with the system clock.
   *
   * @param name the agent name (1–32 letters, digits, '_' or '-')
   * @param keys the key to prove, or null for an ephemeral agent
   * @throws IllegalArgumentException when the name is not a valid agent name
   */
  public LoginHandshake(String name, AgentKeyPair keys) {
    this(name, keys, System::currentTimeMillis);
  }

  /**
   * Like {@link #LoginHandshake(String, AgentKeyPair)} with the clock that timestamps the signed
   * answer, in epoch milliseconds (tests fix it to get a known signature).
   */
  public LoginHandshake(String name, AgentKeyPair keys, LongSupplier clock) {
    if (!Names.isAgentName(name)) {
      throw new IllegalArgumentException(
          "Invalid agent name \"" + name + "\" (1-32 letters, digits, _ or -)");
    }
    this.name = name;
    this.keys = keys;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The login of an identity, or of an ephemeral agent without one. A name stored in the identity
   * wins over {@code name}, as in the reference client.
   *
   * @param identity the identity to prove, or null for an ephemeral agent
   * @throws IllegalArgumentException when the name that wins is not a valid agent name
   */
  public static LoginHandshake of(String name, Identity identity) {
    if (identity == null) {
      return new LoginHandshake(name, null);
    }
    String stored = identity.name();
    return new LoginHandshake(stored != null ? stored : name, identity.keys());
  }

  /** The name this login announces. */
  public String name() {
    return name;
  }

  /** True when the login proves a key, so the server will send a CHALLENGE before WELCOME. */
  public boolean provesKey() {
    return keys != null;
  }

  /** The IDENTIFY frame: the name, and the public key when the login proves one. */
  public ClientFrame.Identify identify() {
    return new ClientFrame.Identify(name, keys == null ? null : keys.publicKey().pem());
  }

  /** {@link #identify()} as wire text. */
  public String identifyText() {
    return FrameCodec.encode(identify());
  }

  /**
   * The VERIFY_IDENTITY that answers {@code challenge}: the login string of its nonce, its id and
   * the clock's time, signed with the key.
   *
   * @throws IllegalStateException when this login has no key (an ephemeral agent cannot answer)
   */
  public ClientFrame.VerifyIdentity answer(ServerFrame.Challenge challenge) {
    if (keys == null) {
      throw new IllegalStateException(
          "The server sent a login challenge but no identity is loaded");
    }
    long timestamp = clock.getAsLong();
    String signature =
        keys.sign(SigningStrings.login(challenge.nonce(), challenge.challengeId(), timestamp));
    return new ClientFrame.VerifyIdentity(challenge.challengeId(), signature, timestamp);
  }

  /**
   * {@link #answer(ServerFrame.Challenge)} for a CHALLENGE received as text, answered as text.
   *
   * @throws IllegalArgumentException when {@code challengeText} is not a CHALLENGE frame
   * @throws IllegalStateException when this login has no key
   */
  public String answerText(String challengeText) {
    if (!(FrameCodec.decodeServer(challengeText) instanceof ServerFrame.Challenge challenge)) {
      throw new IllegalArgumentException("not a CHALLENGE frame");
    }
    return FrameCodec.encode(answer(challenge));
  }

  @Override
  public String toString() {
    return "LoginHandshake[" + name + (keys == null ? ", ephemeral]" : ", " + keys + "]");
  }
}
