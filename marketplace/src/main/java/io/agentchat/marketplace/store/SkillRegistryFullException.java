package io.agentchat.marketplace.store;

/** A registration would take the skills registry past its bound ({@code --max-skills}). */
public final class SkillRegistryFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SkillRegistryFullException(int maxSkills) {
    super(
        "The skill registry is full (" + maxSkills + " skills); nothing was registered",
        null,
        false,
        false);
  }
}
