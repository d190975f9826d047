package io.agentchat.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AgentKeyPair NODE_KEYS = AgentKeyPair.fromSeed(NodeVectors.SEED);
  private static final Instant CREATED = Instant.parse("2024-05-01T12:34:56.789Z");

  @TempDir Path dir;

  @Test
  void aSavedIdentityLoadsBackUnchanged() throws Exception {
    Path file = dir.resolve("nested/deeper/identity.json");
    Identity saved = Identity.generate("alice");
    saved.save(file);

    Identity loaded = Identity.load(file);
    assertEquals(saved.publicKey(), loaded.publicKey());
    assertEquals(saved.keys().privatePem(), loaded.keys().privatePem());
    assertEquals(saved.agentId(), loaded.agentId());
    assertEquals("alice", loaded.name());
    assertEquals(saved.created(), loaded.created());
    assertEquals(List.of(), loaded.rotations());
  }

  @Test
  void theFileHasTheReferenceFieldsAndLayout() throws Exception {
    Path file = dir.resolve("identity.json");
    Identity.of(NODE_KEYS, "bob", CREATED).save(file);

    String text = Files.readString(file);
    String expected =
        "{\n"
            + "  \"publicKey\": "
            + quoted(NodeVectors.PUBLIC_PEM)
            + ",\n"
            + "  \"privateKey\": "
            + quoted(NodeVectors.PRIVATE_PEM)
            + ",\n"
            + "  \"agentId\": \""
            + NodeVectors.AGENT_ID
            + "\",\n"
            + "  \"name\": \"bob\",\n"
            + "  \"created\": \"2024-05-01T12:34:56.789Z\"\n"
            + "}\n";
    assertEquals(expected, text);
  }

  @Test
  void anUnnamedIdentityOmitsTheName() throws Exception {
    Path file = dir.resolve("identity.json");
    Identity.of(NODE_KEYS, null, CREATED).save(file);
    JsonNode json = JSON.readTree(file.toFile());
    assertFalse(json.has("name"));
    assertFalse(json.has("rotations"));
    assertNull(Identity.load(file).name());
  }

  @Test
  void theFileIsReadableByItsOwnerOnly() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("identity.json");
    Identity.generate("a").save(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void savingOverAWorldReadableFileLeavesItOwnerOnly() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("identity.json");
    Files.writeString(file, "{}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Identity.generate("a").save(file);
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    assertEquals("rw-------", PosixFilePermissions.toString(mode));
  }

  @Test
  void savingReplacesTheFileAndLeavesNoTemporaryFiles() throws Exception {
    Path file = dir.resolve("identity.json");
    Identity.generate("first").save(file);
    Identity second = Identity.generate("second");
    second.save(file);
    assertEquals(second.agentId(), Identity.load(file).agentId());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void anAgentchatDirectoryGetsAGitignoreThatIgnoresEverything() throws Exception {
    Path file = dir.resolve(".agentchat/identity.json");
    Identity.generate("a").save(file);
    Path gitignore = dir.resolve(".agentchat/.gitignore");
    assertTrue(Files.readAllLines(gitignore).contains("*"));
  }

  @Test
  void anExistingGitignoreIsLeftAlone() throws Exception {
    Files.createDirectories(dir.resolve(".agentchat"));
    Path gitignore = dir.resolve(".agentchat/.gitignore");
    Files.writeString(gitignore, "mine\n");
    Identity.generate("a").save(dir.resolve(".agentchat/identity.json"));
    assertEquals("mine\n", Files.readString(gitignore));
  }

  @Test
  void otherDirectoriesGetNoGitignore() throws Exception {
    Identity.generate("a").save(dir.resolve("keys/identity.json"));
    assertFalse(Files.exists(dir.resolve("keys/.gitignore")));
  }

  @Test
  void aFileWithTheShortPubkeyAndPrivkeySpellingsLoads() throws Exception {
    Path file =
        write(
            "{\"pubkey\": %s, \"privkey\": %s, \"name\": \"old\"}",
            quoted(NodeVectors.PUBLIC_PEM), quoted(NodeVectors.PRIVATE_PEM));
    Identity identity = Identity.load(file);
    assertEquals(NodeVectors.AGENT_ID, identity.agentId());
    assertEquals("old", identity.name());
    assertNull(identity.created());
  }

  @Test
  void aPublicKeyWithCrlfEndingsStillMatches() throws Exception {
    Path file =
        write(
            "{\"publicKey\": %s, \"privateKey\": %s}",
            quoted(NodeVectors.PUBLIC_PEM.replace("\n", "\r\n")), quoted(NodeVectors.PRIVATE_PEM));
    assertEquals(NodeVectors.AGENT_ID, Identity.load(file).agentId());
  }

  @Test
  void theStoredAgentIdIsIgnoredAndRecomputed() throws Exception {
    Path file =
        write(
            "{\"publicKey\": %s, \"privateKey\": %s, \"agentId\": \"0000000000000000\"}",
            quoted(NodeVectors.PUBLIC_PEM), quoted(NodeVectors.PRIVATE_PEM));
    assertEquals(NodeVectors.AGENT_ID, Identity.load(file).agentId());
  }

  @Test
  void aPublicKeyThatDoesNotMatchThePrivateKeyIsRefused() throws Exception {
    Path file =
        write(
            "{\"publicKey\": %s, \"privateKey\": %s}",
            quoted(AgentKeyPair.generate().publicKey().pem()), quoted(NodeVectors.PRIVATE_PEM));
    IdentityFileException e = assertThrows(IdentityFileException.class, () -> Identity.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void aFileWithoutAPrivateKeyIsRefused() throws Exception {
    Path file = write("{\"publicKey\": %s, \"privateKey\": \"\"}", quoted(NodeVectors.PUBLIC_PEM));
    IdentityFileException e = assertThrows(IdentityFileException.class, () -> Identity.load(file));
    assertEquals(file + " has no private key", e.getMessage());
  }

  @Test
  void aMissingFileIsAnIdentityFileErrorNamingThePath() {
    Path file = dir.resolve("absent/identity.json");
    IdentityFileException e = assertThrows(IdentityFileException.class, () -> Identity.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void brokenFilesGiveOneLineErrorsNamingThePath() throws Exception {
    List<Path> broken =
        List.of(
            write("not json"),
            write("{\"publicKey\": "),
            write(""),
            write("[1, 2]"),
            write("{\"privateKey\": 42}"),
            write(
                "{\"privateKey\": \"-----BEGIN PRIVATE KEY-----\\n"
                    + "AAAA\\n"
                    + "-----END PRIVATE KEY-----\"}"),
            write("{\"privateKey\": %s, \"publicKey\": \"junk\"}", quoted(NodeVectors.PRIVATE_PEM)),
            write(
                "{\"privateKey\": %s, \"created\": \"yesterday\"}",
                quoted(NodeVectors.PRIVATE_PEM)),
            write("{\"privateKey\": %s, \"rotations\": {}}", quoted(NodeVectors.PRIVATE_PEM)));
    for (Path file : broken) {
      IdentityFileException e =
          assertThrows(IdentityFileException.class, () -> Identity.load(file), file.toString());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      assertFalse(e.getMessage().contains(NodeVectors.PRIVATE_BASE64), e.getMessage());
    }
  }

  @Test
  void rotationsAreKeptVerbatimThroughSaveAndLoad() throws Exception {
    String rotation =
        "{\"old_pubkey\": \"A\", \"old_agent_id\": \"1111111111111111\", \"new_pubkey\": \"B\","
            + " \"new_agent_id\": \"2222222222222222\", \"signature\": \"sig\","
            + " \"timestamp\": \"2024-01-01T00:00:00.000Z\", \"extra\": {\"n\": [1, 2]}}";
    Path file =
        write(
            "{\"privateKey\": %s, \"created\": \"2024-01-01T00:00:00.000Z\", \"rotations\": [%s]}",
            quoted(NodeVectors.PRIVATE_PEM), rotation);
    Identity identity = Identity.load(file);
    assertEquals(List.of(JSON.readTree(rotation)), identity.rotations());

    Path copy = dir.resolve("copy.json");
    identity.save(copy);
    assertEquals(List.of(JSON.readTree(rotation)), Identity.load(copy).rotations());
    assertEquals(JSON.readTree(rotation), JSON.readTree(copy.toFile()).get("rotations").get(0));
  }

  @Test
  void thePublicExportHoldsNameKeyCreatedAndRotationsButNoPrivateKey() {
    ObjectNode export = Identity.of(NODE_KEYS, "carol", CREATED).publicExport();
    assertEquals(List.of("name", "pubkey", "created", "rotations"), fieldNames(export));
    assertEquals(NodeVectors.PUBLIC_PEM, export.get("pubkey").asText());
    assertEquals("2024-05-01T12:34:56.789Z", export.get("created").asText());
    assertTrue(export.get("rotations").isArray());
    assertFalse(export.toString().contains(NodeVectors.PRIVATE_BASE64));
  }

  @Test
  void createdIsKeptToTheMillisecondLikeAJavaScriptDate() {
    Instant precise = Instant.parse("2024-05-01T12:34:56.789123456Z");
    assertEquals(CREATED, Identity.of(NODE_KEYS, "x", precise).created());
  }

  @Test
  void theDefaultPathIsAgentchatIdentityJsonUnderTheWorkingDirectory() {
    Path expected = Path.of(System.getProperty("user.dir"), ".agentchat", "identity.json");
    assertEquals(expected, Identity.defaultPath());
  }

  @Test
  void toStringRevealsNoPrivateKey() {
    String text = Identity.of(NODE_KEYS, "dave", CREATED).toString();
    assertTrue(text.contains(NodeVectors.AGENT_ID), text);
    assertFalse(text.contains(NodeVectors.PRIVATE_BASE64), text);
  }

  private Path write(String format, Object... args) throws Exception {
    Path file = Files.createTempFile(dir, "identity", ".json");
    Files.writeString(file, args.length == 0 ? format : String.format(format, args));
    return file;
  }

  private static String quoted(String text) throws Exception {
    return JSON.writeValueAsString(text);
  }

  private static List<String> fieldNames(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
