package io.agentchat.cli;

import io.agentchat.client.daemon.DaemonFiles;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The agent primitives' command lines ({@code wait}, {@code poll}, {@code check}, {@code read},
 * {@code ts}) read without picocli: an agent's loop runs one every turn, and picocli's model of a
 * command (some 170 classes and their reflection) costs more start-up time than the primitive's own
 * work. Only the options the commands declare are understood here; anything else (help, version, a
 * typo, a bad value) returns null and goes to picocli, which explains it exactly as for every other
 * command.
 */
final class PrimitiveLine {
  private PrimitiveLine() {}

  /**
   * Runs the primitive {@code args} name, if its options are all ones this parser knows.
   *
   * @param args the whole command line, the primitive's name first
   * @return its exit code, or null to leave the command line to picocli
   */
  static Integer run(String[] args, PrintWriter out, PrintWriter err) {
    InboxCommand command = parse(args);
    return command == null ? null : command.callWith(out, err);
  }

  /** The primitive, its options set as picocli would set them, or null. */
  static InboxCommand parse(String[] args) {
    InboxCommand command =
        switch (args.length == 0 ? "" : args[0]) {
          case "wait" -> new WaitCommand();
          case "poll" -> new PollCommand();
          case "check" -> new CheckCommand();
          case "read" -> new ReadCommand();
          case "ts" -> new TsCommand();
          default -> null;
        };
    if (command == null) {
      return null;
    }
    // The defaults picocli would apply, from the same constants.
    command.name = DaemonFiles.DEFAULT_NAME;
    command.home = Path.of(DaemonFiles.DEFAULT_HOME);
    if (command instanceof WaitCommand wait) {
      wait.timeoutSeconds = Double.parseDouble(WaitCommand.DEFAULT_TIMEOUT);
    } else if (command instanceof ReadCommand read) {
      read.limit = Integer.parseInt(ReadCommand.DEFAULT_LIMIT);
    }
    try {
      for (int i = 1; i < args.length; i++) {
        String arg = args[i];
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          value = arg.substring(eq + 1);
          arg = arg.substring(0, eq);
        }
        if (arg.equals("-n") || arg.equals("--name")) {
          command.name = value != null ? value : args[++i];
        } else if (arg.equals("--home")) {
          command.home = Path.of(value != null ? value : args[++i]);
        } else if (!option(command, arg, value, args, i)) {
          return null;
        } else if (value == null && takesValue(command, arg)) {
          i++;
        }
      }
    } catch (RuntimeException unreadable) {
      return null; // a missing or bad value: picocli says what is wrong
    }
    return command;
  }

  /** Sets one command-specific option or operand; false when it is not one this command has. */
  private static boolean option(
      InboxCommand command, String arg, String inline, String[] args, int i) {
    String value = inline != null ? inline : (i + 1 < args.length ? args[i + 1] : null);
    if (command instanceof WaitCommand wait && (arg.equals("-t") || arg.equals("--timeout"))) {
      wait.timeoutSeconds = Double.parseDouble(value);
      return true;
    }
    if (command instanceof CheckCommand check && inline == null) {
      return switch (arg) {
        case "--replay" -> check.replay = true;
        case "--own" -> check.own = true;
        default -> false;
      };
    }
    if (command instanceof ReadCommand read) {
      if (arg.equals("--limit")) {
        read.limit = Integer.parseInt(value);
        return true;
      }
      if (inline != null) {
        return false;
      }
      return switch (arg) {
        case "--all" -> read.all = true;
        case "--replay" -> read.replay = true;
        case "--own" -> read.own = true;
        default -> false;
      };
    }
    if (command instanceof TsCommand ts && !arg.startsWith("-") && ts.value == null) {
      ts.value = Long.parseLong(arg);
      return true;
    }
    return false;
  }

  private static boolean takesValue(InboxCommand command, String arg) {
    return (command instanceof WaitCommand && (arg.equals("-t") || arg.equals("--timeout")))
        || (command instanceof ReadCommand && arg.equals("--limit"));
  }
}
