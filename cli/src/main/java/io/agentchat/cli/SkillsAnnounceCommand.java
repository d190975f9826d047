package io.agentchat.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.client.AgentSession;
import io.agentchat.protocol.ServerFrame;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentchat skills announce}: registers this agent's skills, replacing earlier ones. */
@Command(
    name = "announce",
    mixinStandardHelpOptions = true,
    description =
        "Register your skills (one with --capability, or several from --file);"
            + " replaces the skills you registered before. Needs an identity.")
final class SkillsAnnounceCommand extends ConnectingCommand {
  static final String DEFAULT_CURRENCY = "TEST";

  @Option(
      names = {"-c", "--capability"},
      paramLabel = "NAME",
      description = "What you can do, e.g. code_review.")
  String capability;

  @Option(
      names = {"-r", "--rate"},
      paramLabel = "AMOUNT",
      description = "Your price.")
  String rate;

  @Option(
      names = "--currency",
      paramLabel = "CODE",
      description = "Currency of the rate (default: " + DEFAULT_CURRENCY + ").")
  String currency;

  @Option(names = "--description", paramLabel = "TEXT", description = "A line about the skill.")
  String description;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "YAML",
      description =
          "Skills file: \"skills: [{capability, rate, currency, description}, ...]\""
              + " or a single skill.")
  Path file;

  @Option(names = "--json", description = "Print the server's SKILLS_REGISTERED frame as JSON.")
  boolean json;

  private ArrayNode skills;

  @Override
  protected void validate() {
    if (file != null && capability != null) {
      throw CommandExit.badInput("Give --capability or --file, not both");
    }
    if (file == null && capability == null) {
      throw CommandExit.badInput("Give --capability NAME or --file skills.yaml");
    }
    if (file != null && (rate != null || currency != null || description != null)) {
      throw CommandExit.badInput(
          "--rate, --currency and --description go with --capability; put them in the file");
    }
    skills = file != null ? SkillsFile.read(file) : fromOptions();
  }

  private ArrayNode fromOptions() {
    ObjectNode skill = JsonNodeFactory.instance.objectNode().put("capability", capability);
    if (rate != null) {
      skill.put("rate", requireAmount("--rate", rate));
    }
    skill.put("currency", currency != null ? currency : DEFAULT_CURRENCY);
    if (description != null) {
      skill.put("description", description);
    }
    SkillsFile.check("--capability", skill);
    return JsonNodeFactory.instance.arrayNode().add(skill);
  }

  @Override
  protected boolean needsIdentity() {
    return true;
  }

  @Override
  protected int session(AgentSession client) {
    ServerFrame.SkillsRegistered registered = client.registerSkills(skills).await();
    if (json) {
      out().println(JsonOutput.pretty(registered));
    } else {
      out()
          .println(
              "Registered " + registered.skillsCount() + " skill(s) as " + registered.agentId());
    }
    return OK;
  }
}
