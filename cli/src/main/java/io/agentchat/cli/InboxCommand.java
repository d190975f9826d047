package io.agentchat.cli;

import io.agentchat.client.daemon.DaemonFiles;
import io.agentchat.client.daemon.InboxReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Base of the agent primitives ({@code wait}, {@code poll}, {@code check}, {@code read}, {@code
 * ts}): they read a daemon's inbox files with {@link InboxReader} and never connect, so they start
 * fast and never touch Vert.x.
 */
abstract class InboxCommand extends AgentChatBaseCommand {
  @Option(
      names = {"-n", "--name"},
      paramLabel = "NAME",
      defaultValue = DaemonFiles.DEFAULT_NAME,
      description = "Which daemon's inbox (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      defaultValue = DaemonFiles.DEFAULT_HOME,
      description = "The directory daemons keep their files in (default: ${DEFAULT-VALUE}).")
  Path home;

  /** The daemon's files, refusing a daemon that never ran here. */
  protected DaemonFiles files() {
    DaemonFiles files = DaemonFiles.of(home, name);
    if (!Files.isDirectory(files.dir())) {
      throw CommandExit.failure(
          "No daemon \""
              + files.name()
              + "\" under "
              + home
              + ": start one with `agentchat daemon <server>`");
    }
    return files;
  }

  /** Prints each line as it is, one JSON frame per line. */
  protected void print(List<String> lines) {
    for (String line : lines) {
      out().println(line);
    }
    out().flush();
  }
}
