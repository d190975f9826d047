package io.agentchat.reputation.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.identity.AgentIds;
import io.agentchat.identity.Identity;
import io.agentchat.identity.IdentityFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerKeyTest {
  @TempDir Path dataDir;

  @Test
  void theFirstStartCreatesAKeyOnlyTheOwnerCanReadAndLaterStartsReuseIt() throws Exception {
    ServerKey created = ServerKey.loadOrCreate(dataDir, "relay-1");
    ServerKey loaded = ServerKey.loadOrCreate(dataDir, "other-name");

    Path file = dataDir.resolve("server-identity.json");
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(file));
    assertEquals(created.id(), loaded.id());
    assertEquals("relay-1", loaded.name());
    assertEquals(created.publicKeyPem(), Identity.load(file).publicKey().pem());
  }

  @Test
  void theIdIsDerivedLikeAnAgentId() throws Exception {
    ServerKey key = ServerKey.loadOrCreate(dataDir, "relay");

    assertEquals("@" + AgentIds.fromPublicKeyPem(key.publicKeyPem()), key.id());
    assertTrue(AgentIds.isValidPersistentId(key.id().substring(1)));
  }

  @Test
  void whatItSignsVerifiesWithItsPublicKey() throws Exception {
    ServerKey key = ServerKey.loadOrCreate(dataDir, "relay");
    byte[] message = "HEAD".getBytes(StandardCharsets.UTF_8);

    assertTrue(key.publicKey().verify(message, key.sign(message)));
  }

  @Test
  void aCorruptKeyFileIsAnErrorAndIsNeverReplaced() throws Exception {
    Path file = dataDir.resolve("server-identity.json");
    Files.writeString(file, "{\"publicKey\": \"garbage\"");

    IdentityFileException refused =
        assertThrows(IdentityFileException.class, () -> ServerKey.loadOrCreate(dataDir, "relay"));

    assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
    assertEquals("{\"publicKey\": \"garbage\"", Files.readString(file));
  }
}
