package io.agentchat.client.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The inbox's rotation and the primitives' cursor, on real files. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InboxReaderTest {
  private static final InboxReader.Filter ALL = new InboxReader.Filter(true, true, true);

  @TempDir Path home;

  private static String msg(int n) {
    return "{\"type\":\"MSG\",\"ts\":"
        + (1000 + n)
        + ",\"from\":\"@other\",\"content\":\"m"
        + n
        + "\"}";
  }

  private static List<String> contents(List<String> lines) {
    return lines.stream().map(l -> l.replaceAll(".*\"content\":\"(m[0-9]+)\".*", "$1")).toList();
  }

  @Test
  void readsEveryLineOnceAcrossRotationsBetweenReads() throws Exception {
    DaemonFiles files = DaemonFiles.of(home, "a");
    InboxReader reader = new InboxReader(files);
    List<String> seen = new ArrayList<>();
    try (Inbox inbox = new Inbox(files, 300)) {
      for (int n = 0; n < 40; n++) {
        inbox.append(msg(n));
        if (n % 3 == 0) {
          seen.addAll(contents(reader.take(ALL)));
        }
      }
      seen.addAll(contents(reader.take(ALL)));
    }

    List<String> expected = new ArrayList<>();
    for (int n = 0; n < 40; n++) {
      expected.add("m" + n);
    }
    assertEquals(expected, seen);
    assertTrue(Files.exists(files.rotatedInbox(1)));
    assertTrue(Files.size(files.inbox()) <= 300);
  }

  @Test
  void aLineWithoutItsNewlineYetWaitsForTheNextRead() throws Exception {
    DaemonFiles files = DaemonFiles.of(home, "a");
    Files.createDirectories(files.dir());
    String line = msg(1);
    Files.writeString(files.inbox(), line.substring(0, 20), StandardCharsets.UTF_8);
    InboxReader reader = new InboxReader(files);

    assertEquals(List.of(), reader.take(ALL));
    Files.writeString(
        files.inbox(),
        line.substring(20) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    assertEquals(List.of(line), reader.take(ALL));
    assertEquals(1001, reader.lastTs());
  }

  @Test
  void settingTheTimeRereadsTheLaterLinesAndTheFilterLeavesOutOwnAndReplayed() throws Exception {
    DaemonFiles files = DaemonFiles.of(home, "a");
    DaemonFiles.writeAtomically(files.state(), "{\"agent_id\":\"@me\"}\n");
    InboxReader reader = new InboxReader(files);
    try (Inbox inbox = new Inbox(files, 1 << 20)) {
      inbox.append(msg(1));
      inbox.append("{\"type\":\"MSG\",\"ts\":1002,\"from\":\"@me\",\"content\":\"mine\"}");
      inbox.append(
          "{\"type\":\"MSG\",\"ts\":1,\"from\":\"@x\",\"content\":\"old\",\"replay\":true}");
      inbox.append("{\"type\":\"AGENT_JOINED\",\"ts\":1003,\"agent\":\"@x\"}");
      inbox.append(msg(4));
    }

    assertEquals(List.of("m1", "m4"), contents(reader.take(InboxReader.Filter.MESSAGES)));
    reader.setLastTs(1001);
    assertEquals(List.of("m4"), contents(reader.take(InboxReader.Filter.MESSAGES)));
    assertEquals(List.of(), reader.take(InboxReader.Filter.MESSAGES));
  }
}
