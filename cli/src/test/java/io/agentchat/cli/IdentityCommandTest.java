package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.identity.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityCommandTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve(".agentchat").resolve("identity.json");
  }

  @Test
  void generateWritesAnIdentityFileOnlyItsOwnerCanRead() throws Exception {
    CliRun.Result run =
        CliRun.run("identity", "--generate", "--file", file().toString(), "--name", "alice");

    Identity saved = Identity.load(file());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("alice", saved.name());
    assertTrue(run.out().contains("@" + saved.agentId()), run.out());
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(file()));
  }

  @Test
  void generateRefusesToReplaceAnExistingFileWithoutForce() throws Exception {
    CliRun.run("identity", "--generate", "--file", file().toString());
    String before = Files.readString(file());

    CliRun.Result refused = CliRun.run("identity", "--generate", "--file", file().toString());
    String afterRefusal = Files.readString(file());
    CliRun.Result forced =
        CliRun.run("identity", "--generate", "--file", file().toString(), "--force");

    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().startsWith("Error: Identity file "), refused.err());
    assertTrue(refused.err().contains("--force"), refused.err());
    assertEquals(before, afterRefusal);
    assertEquals(0, forced.exitCode(), forced.err());
    assertNotEquals(before, Files.readString(file()));
  }

  @Test
  void showPrintsTheAgentIdNameAndPublicKey() throws Exception {
    Identity identity = Identity.generate("bob");
    identity.save(file());

    CliRun.Result show = CliRun.run("identity", "--show", "--file", file().toString());

    assertEquals(0, show.exitCode(), show.err());
    assertTrue(show.out().contains("Agent ID:   @" + identity.agentId() + "\n"), show.out());
    assertTrue(show.out().contains("Name:       bob\n"), show.out());
    assertTrue(show.out().endsWith(identity.publicKey().pem()), show.out());
  }

  @Test
  void withoutAnActionTheIdentityIsShown() throws Exception {
    Identity identity = Identity.generate("bob");
    identity.save(file());

    CliRun.Result show = CliRun.run("identity", "--file", file().toString());

    assertTrue(show.out().contains("@" + identity.agentId()), show.out());
  }

  @Test
  void exportPrintsThePublicPartAsJsonWithoutThePrivateKey() throws Exception {
    Identity identity = Identity.generate("carol");
    identity.save(file());

    CliRun.Result export = CliRun.run("identity", "--export", "--file", file().toString());

    JsonNode json = new ObjectMapper().readTree(export.out());
    assertEquals(0, export.exitCode(), export.err());
    assertEquals("carol", json.get("name").asText());
    assertEquals(identity.publicKey().pem(), json.get("pubkey").asText());
    assertTrue(json.get("rotations").isArray());
    assertFalse(export.out().contains("PRIVATE KEY"));
  }

  @Test
  void showingAMissingIdentityFailsWithAHint() {
    CliRun.Result show = CliRun.run("identity", "--show", "--file", file().toString());

    assertEquals(1, show.exitCode());
    assertTrue(show.err().startsWith("Error: No identity file at "), show.err());
    assertTrue(show.err().contains("identity --generate"), show.err());
  }

  @Test
  void generateAndShowAreMutuallyExclusive() {
    assertEquals(2, CliRun.run("identity", "--generate", "--show").exitCode());
  }
}
