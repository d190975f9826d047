package io.agentchat.identity;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.impl.IdentityJson;
import io.agentchat.identity.impl.OwnerOnlyFile;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The identity file an agent keeps on disk, in the reference's JSON format: key pair, optional
 * name, creation time and key-rotation records. Immutable and thread-safe.
 */
public final class Identity {
  /** Far above any real identity file; keeps a wrong path from loading a huge file into memory. */
  private static final long MAX_FILE_BYTES = 1 << 20;

  private static final String GITIGNORE =
      "# This directory contains private keys. Never commit.\n*\n";

  private final AgentKeyPair keys;
  private final String name;
  private final Instant created;
  private final List<JsonNode> rotations;

  private Identity(AgentKeyPair keys, String name, Instant created, List<JsonNode> rotations) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.name = name;
    // The file keeps milliseconds (JavaScript dates), so created() equals what a reload returns.
    this.created = created == null ? null : created.truncatedTo(ChronoUnit.MILLIS);
    this.rotations = rotations.stream().<JsonNode>map(JsonNode::deepCopy).toList();
  }

  /**
   * A new identity with a freshly generated key pair, created now. Key generation may block briefly
   * on entropy; see {@link AgentKeyPair#generate()}.
   *
   * @param name display name, or null for none
   */
  public static Identity generate(String name) {
    return new Identity(AgentKeyPair.generate(), name, Instant.now(), List.of());
  }

  /**
   * An identity for existing keys, with no rotation records.
   *
   * @param name display name, or null for none
   * @param created creation time, or null if unknown
   */
  public static Identity of(AgentKeyPair keys, String name, Instant created) {
    return new Identity(keys, name, created, List.of());
  }

  /**
   * Reads an identity file. The public key is read from {@code pubkey} or {@code publicKey}, the
   * private key from {@code privkey} or {@code privateKey}; a stored {@code agentId} is ignored and
   * recomputed from the key. Rotation records are kept verbatim.
   *
   * @throws IdentityFileException if the file is missing or unreadable, is not an identity file,
   *     has no private key, holds invalid keys, or its public key does not match its private key
   */
  public static Identity load(Path file) throws IdentityFileException {
    JsonNode root = parse(file, read(file));
    if (!root.isObject()) {
      throw new IdentityFileException(file + " is not an identity file (expected a JSON object)");
    }
    // The reference reads `pubkey || publicKey`: the short spelling wins, and "" counts as absent.
    String publicPem = text(file, root, "pubkey", "publicKey");
    String privatePem = text(file, root, "privkey", "privateKey");
    if (privatePem == null) {
      throw new IdentityFileException(file + " has no private key");
    }
    AgentKeyPair keys;
    try {
      keys = AgentKeyPair.fromPrivatePem(privatePem);
    } catch (InvalidKeyException e) {
      throw new IdentityFileException(file + " has an invalid private key: " + e.getMessage(), e);
    }
    if (publicPem != null) {
      AgentKey stated;
      try {
        stated = AgentKey.fromPem(publicPem);
      } catch (InvalidKeyException e) {
        throw new IdentityFileException(file + " has an invalid public key: " + e.getMessage(), e);
      }
      if (!stated.equals(keys.publicKey())) {
        throw new IdentityFileException(
            file + " is inconsistent: its public key does not belong to its private key");
      }
    }
    return new Identity(keys, text(file, root, "name"), created(file, root), rotations(file, root));
  }

  /**
   * Writes this identity to {@code file} as 2-space-indented JSON with {@code publicKey}, {@code
   * privateKey}, {@code agentId}, {@code name} (if set), {@code created} (if known) and {@code
   * rotations} (if any). Parent directories are created. The file is replaced atomically and is
   * readable by its owner only (mode 0600 on POSIX file systems). A {@code .agentchat} parent
   * directory without a {@code .gitignore} gets one that ignores everything, so keys are never
   * committed by accident.
   *
   * @throws IdentityFileException if the file cannot be written
   */
  public void save(Path file) throws IdentityFileException {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      // Written before the key so there is no moment when a key sits in an unignored directory.
      if (dir.getFileName() != null && dir.getFileName().toString().equals(".agentchat")) {
        OwnerOnlyFile.createIfAbsent(
            dir.resolve(".gitignore"), GITIGNORE.getBytes(StandardCharsets.UTF_8));
      }
      OwnerOnlyFile.replace(file, IdentityJson.render(fileContent()));
    } catch (IOException e) {
      throw new IdentityFileException("Cannot write identity file " + file + ": " + describe(e), e);
    }
  }

  /** {@code .agentchat/identity.json} under the current working directory, as an absolute path. */
  public static Path defaultPath() {
    return Path.of(".agentchat", "identity.json").toAbsolutePath();
  }

  /** The display name, or null if none is set. */
  public String name() {
    return name;
  }

  /** The key pair. */
  public AgentKeyPair keys() {
    return keys;
  }

  /** The public key. */
  public AgentKey publicKey() {
    return keys.publicKey();
  }

  /** The bare agent id (16 hex characters, no {@code @}). */
  public String agentId() {
    return keys.publicKey().agentId();
  }

  /** When the identity was created (millisecond precision), or null if the file did not say. */
  public Instant created() {
    return created;
  }

  /** The key-rotation records exactly as read from the file; a fresh copy on every call. */
  public List<JsonNode> rotations() {
    return rotations.stream().<JsonNode>map(JsonNode::deepCopy).toList();
  }

  /**
   * The shareable form printed by {@code identity --export}: {@code name}, {@code pubkey}, {@code
   * created} and {@code rotations} (always an array). Holds no private key.
   */
  public ObjectNode publicExport() {
    ObjectNode export = IdentityJson.MAPPER.createObjectNode();
    if (name != null) {
      export.put("name", name);
    }
    export.put("pubkey", publicKey().pem());
    if (created != null) {
      export.put("created", IdentityJson.isoTime(created));
    }
    export.putArray("rotations").addAll(rotations());
    return export;
  }

  /** Shows the agent id and name only, never key material. */
  @Override
  public String toString() {
    return "Identity[" + agentId() + (name == null ? "" : ", " + name) + "]";
  }

  private ObjectNode fileContent() {
    ObjectNode content = IdentityJson.MAPPER.createObjectNode();
    content.put("publicKey", publicKey().pem());
    content.put("privateKey", keys.privatePem());
    content.put("agentId", agentId());
    if (name != null) {
      content.put("name", name);
    }
    if (created != null) {
      content.put("created", IdentityJson.isoTime(created));
    }
    if (!rotations.isEmpty()) {
      content.putArray("rotations").addAll(rotations());
    }
    return content;
  }

  private static String read(Path file) throws IdentityFileException {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IdentityFileException(file + " is too large to be an identity file");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IdentityFileException("No identity file at " + file, e);
    } catch (CharacterCodingException e) {
      throw new IdentityFileException(file + " is not an identity file (not UTF-8 text)", e);
    } catch (IOException e) {
      throw new IdentityFileException("Cannot read identity file " + file + ": " + describe(e), e);
    }
  }

  private static JsonNode parse(Path file, String json) throws IdentityFileException {
    try {
      JsonNode root = IdentityJson.MAPPER.readTree(json);
      if (root == null || root.isMissingNode()) {
        throw new IdentityFileException(file + " is empty");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw new IdentityFileException(file + " is not valid JSON" + where, e);
    }
  }

  /** The first of the fields holding a non-empty string; null when none does. */
  private static String text(Path file, JsonNode root, String... fields)
      throws IdentityFileException {
    for (String field : fields) {
      JsonNode value = root.get(field);
      if (value == null || value.isNull()) {
        continue;
      }
      if (!value.isTextual()) {
        throw new IdentityFileException(file + " has a non-text \"" + field + "\" field");
      }
      if (!value.textValue().isEmpty()) {
        return value.textValue();
      }
    }
    return null;
  }

  private static Instant created(Path file, JsonNode root) throws IdentityFileException {
    String created = text(file, root, "created");
    if (created == null) {
      return null;
    }
    try {
      // The reference writes UTC with a Z; an offset written by hand is accepted as well.
      return OffsetDateTime.parse(created).toInstant();
    } catch (DateTimeParseException e) {
      throw new IdentityFileException(file + " has an invalid \"created\" time", e);
    }
  }

  private static List<JsonNode> rotations(Path file, JsonNode root) throws IdentityFileException {
    JsonNode rotations = root.get("rotations");
    if (rotations == null || rotations.isNull()) {
      return List.of();
    }
    if (!rotations.isArray()) {
      throw new IdentityFileException(file + " has a \"rotations\" field that is not a list");
    }
    List<JsonNode> records = new ArrayList<>();
    rotations.forEach(records::add);
    return records;
  }

  /** A one-line reason for an I/O failure; the path is already in the caller's message. */
  private static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s+", " ").strip();
  }
}
