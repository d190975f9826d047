package io.agentchat.reputation.receipts;

import io.agentchat.identity.AgentKey;
import io.agentchat.identity.Identity;
import io.agentchat.identity.IdentityFileException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;

/**
 * The server's own Ed25519 key, which seals receipts and signs export HEADs. It lives in the data
 * directory as {@value #FILE_NAME}, an identity file in the same format agents use (readable by its
 * owner only), and its id is derived from its public key exactly like an agent id. Immutable and
 * thread-safe.
 */
public final class ServerKey {
  /** The key file's name inside the data directory. */
  public static final String FILE_NAME = "server-identity.json";

  private final Identity identity;
  private final String name;

  private ServerKey(Identity identity, String name) {
    this.identity = identity;
    this.name = name;
  }

  /**
   * Loads the server key from {@code <dataDir>/server-identity.json}, or generates one and saves it
   * there (mode 0600) when the file does not exist yet. A file that exists but cannot be read or is
   * not a valid identity file is an error: it is never replaced, because receipts already sealed
   * with the old key would no longer match the server.
   *
   * <p>Blocking (file I/O, key generation): call it from a worker thread, e.g. inside {@code
   * vertx.executeBlocking}, never on an event loop. Only one server may use a data directory.
   *
   * @param dataDir the server's data directory; created if missing
   * @param name the name stored in a newly generated file; a stored name wins over it
   * @throws IdentityFileException if the file is unreadable, corrupt or cannot be written
   */
  public static ServerKey loadOrCreate(Path dataDir, String name) throws IdentityFileException {
    Objects.requireNonNull(dataDir, "dataDir");
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(file)) {
      return of(Identity.load(file), name);
    }
    Identity created = Identity.generate(name);
    created.save(file);
    return of(created, name);
  }

  /**
   * Wraps an identity already in memory (tests, tools that generate receipts).
   *
   * @param identity the key pair and its stored name
   * @param name used when the identity has no name; may be null
   */
  public static ServerKey of(Identity identity, String name) {
    Objects.requireNonNull(identity, "identity");
    return new ServerKey(identity, identity.name() != null ? identity.name() : name);
  }

  /** The server's id in wire form: {@code "@"} + the id derived from {@link #publicKeyPem()}. */
  public String id() {
    return "@" + identity.agentId();
  }

  /** The server's name: the one stored in the key file, else the one it was created with. */
  public String name() {
    return name;
  }

  /** The public key as canonical SPKI PEM (LF endings, trailing LF), as receipts carry it. */
  public String publicKeyPem() {
    return identity.publicKey().pem();
  }

  /** The public key, for verifying what this server signed. */
  public AgentKey publicKey() {
    return identity.publicKey();
  }

  /** Signs {@code message} with Ed25519 (RFC 8032, pure); returns the 64-byte signature. */
  public byte[] sign(byte[] message) {
    return identity.keys().sign(message);
  }

  /** Signs {@code message}; returns the signature as standard padded base64 (88 characters). */
  public String signBase64(byte[] message) {
    return Base64.getEncoder().encodeToString(sign(message));
  }

  /** Shows the id and name only, never key material. */
  @Override
  public String toString() {
    return "ServerKey[" + id() + (name == null ? "" : ", " + name) + "]";
  }
}
