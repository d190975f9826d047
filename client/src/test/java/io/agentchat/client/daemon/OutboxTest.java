package io.agentchat.client.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's durable offset, on real files. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OutboxTest {
  @TempDir Path home;

  private static void append(DaemonFiles files, String text) throws Exception {
    Files.createDirectories(files.dir());
    Files.writeString(
        files.outbox(),
        text,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Test
  void committedLinesAreNotReadAgainEvenByANewOutboxOnTheSameFiles() throws Exception {
    DaemonFiles files = DaemonFiles.of(home, "a");
    append(files, "one\ntwo\nthr");
    Outbox outbox = new Outbox(files);

    List<Outbox.Line> first = outbox.next(10);
    outbox.commit(first.get(0).end());
    append(files, "ee\n");
    List<Outbox.Line> afterRestart = new Outbox(files).next(10);

    assertEquals(List.of("one", "two"), first.stream().map(Outbox.Line::text).toList());
    assertEquals(List.of("two", "three"), afterRestart.stream().map(Outbox.Line::text).toList());
    assertEquals(Files.size(files.outbox()), afterRestart.get(1).end());
  }

  @Test
  void atMostTheAskedNumberOfLinesAreRead() throws Exception {
    DaemonFiles files = DaemonFiles.of(home, "a");
    append(files, "a\nb\nc\n");

    List<Outbox.Line> lines = new Outbox(files).next(2);

    assertEquals(List.of("a", "b"), lines.stream().map(Outbox.Line::text).toList());
  }
}
