package io.agentchat.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A skills file as {@code skills announce --file} reads it: YAML (or JSON) holding either {@code
 * skills: [ {capability, rate, currency, description}, … ]} or a single skill object. Other members
 * of a skill are kept and sent as they are.
 */
final class SkillsFile {
  private static final YAMLMapper YAML = new YAMLMapper();

  private SkillsFile() {}

  /**
   * Reads and checks the file.
   *
   * @throws CommandExit failure (1) when the file cannot be read, bad input (2) when its content is
   *     not a list of skills
   */
  static ArrayNode read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw CommandExit.failure("No skills file at " + file);
    } catch (IOException e) {
      throw CommandExit.failure("Cannot read " + file + ": " + e.getMessage());
    }
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw CommandExit.badInput(file + " is not valid YAML: " + e.getOriginalMessage());
    }
    return skillsOf(file, root);
  }

  private static ArrayNode skillsOf(Path file, JsonNode root) {
    ArrayNode skills;
    if (root != null && root.isObject() && root.has("skills")) {
      if (!root.get("skills").isArray()) {
        throw CommandExit.badInput(file + ": skills must be a list of skills");
      }
      skills = (ArrayNode) root.get("skills");
    } else if (root != null && root.isObject()) {
      skills = JsonNodeFactory.instance.arrayNode().add(root);
    } else {
      throw CommandExit.badInput(
          file + " must hold \"skills: [...]\" or a single skill with a capability");
    }
    if (skills.isEmpty()) {
      throw CommandExit.badInput(file + " lists no skills");
    }
    int n = 0;
    for (JsonNode skill : skills) {
      n++;
      check(file + ": skill " + n, skill);
    }
    return skills;
  }

  /** The checks a user can fix in the file, before the server refuses the registration. */
  static void check(String where, JsonNode skill) {
    if (!skill.isObject()) {
      throw CommandExit.badInput(where + " is not a mapping of capability, rate, ...");
    }
    ObjectNode s = (ObjectNode) skill;
    JsonNode capability = s.get("capability");
    if (capability == null || !capability.isTextual() || capability.asText().isBlank()) {
      throw CommandExit.badInput(where + " needs a capability");
    }
    JsonNode rate = s.get("rate");
    if (rate != null && !rate.isNull() && (!rate.isNumber() || rate.decimalValue().signum() < 0)) {
      throw CommandExit.badInput(where + ": rate must be a non-negative number");
    }
    for (String field : new String[] {"currency", "description"}) {
      JsonNode v = s.get(field);
      if (v != null && !v.isNull() && !v.isTextual()) {
        throw CommandExit.badInput(where + ": " + field + " must be text");
      }
    }
  }
}
