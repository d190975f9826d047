package io.agentchat.marketbench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.bench.core.AgentSocket;
import io.agentchat.bench.core.ClientLoop;
import io.agentchat.bench.core.FrameScan;
import io.agentchat.bench.core.LoadFailure;
import io.agentchat.bench.core.Refusal;
import io.agentchat.client.LoginHandshake;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.SigningStrings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/**
 * The search scenario's set-up on one loop: each bench agent gets a fresh key, logs in, sends one
 * REGISTER_SKILLS and waits for SKILLS_REGISTERED, then disconnects. Registrations stay in the
 * server's registry after the socket closes. Confined to its loop.
 */
final class SkillRegistrant {
  private final ClientLoop loop;
  private final MarketBenchOptions options;
  private final String runId;

  SkillRegistrant(ClientLoop loop, MarketBenchOptions options, String runId) {
    this.loop = loop;
    this.options = options;
    this.runId = runId;
  }

  /**
   * Registers one agent. Key generation, skill generation and signing run on a worker thread.
   *
   * @return completes when the agent is registered and disconnected; a failure is recorded in the
   *     loop's stats as well
   */
  Future<Void> register(int index) {
    return loop.vertx()
        .executeBlocking(() -> registration(options.seed(), index, options.skillsOf(index)), false)
        .compose(
            frame -> {
              AgentSocket c =
                  new AgentSocket(
                      loop, new LoginHandshake("mb" + runId + "r" + index, frame.keys()));
              return c.login(options.requestTimeout())
                  .compose(welcome -> exchange(c, frame.text()))
                  .eventually(c::close);
            })
        .onFailure(
            e -> loop.stats().setupFailed("agent " + index + ": " + LoadFailure.describe(e)));
  }

  private Future<Void> exchange(AgentSocket c, String frame) {
    Promise<Void> done = loop.promiseWithin(options.requestTimeout(), "REGISTER_SKILLS");
    long started = System.nanoTime();
    c.listener(
        new AgentSocket.Listener() {
          @Override
          public void onFrame(AgentSocket from, String text) {
            String type = FrameScan.type(text);
            if ("SKILLS_REGISTERED".equals(type)) {
              if (done.tryComplete()) {
                loop.stats().setupDone(System.nanoTime() - started);
              }
            } else if ("ERROR".equals(type)) {
              done.tryFail("REGISTER_SKILLS refused: " + Refusal.of(text));
            }
          }

          @Override
          public void onClosed(AgentSocket from, String why) {
            done.tryFail(why);
          }
        });
    c.send(frame);
    return done.future();
  }

  /** A key and its signed REGISTER_SKILLS frame text. */
  record Registration(AgentKeyPair keys, String text) {}

  /**
   * Builds agent {@code index}'s registration: {@code count} skills drawn from the vocabulary with
   * a generator seeded per agent, so reruns register the same skills.
   */
  static Registration registration(long seed, int index, int count) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
    ObjectMapper json = FrameCodec.mapper();
    ArrayNode skills = json.createArrayNode();
    for (int i = 0; i < count; i++) {
      String capability = SkillVocabulary.capability(random);
      ObjectNode skill = skills.addObject().put("capability", capability);
      if (random.nextInt(4) == 0) {
        skill.put("rate", random.nextInt(200) + 0.5);
      } else {
        skill.put("rate", 1 + random.nextInt(200));
      }
      skill
          .put("currency", "TEST")
          .put("description", "Bench skill " + capability.replace('_', ' ') + " by agent " + index);
    }
    try {
      String skillsText = json.writeValueAsString(skills);
      // The signature covers the array as the server parses it from the text sent (SPEC §6).
      AgentKeyPair keys = AgentKeyPair.generate();
      String sig = keys.sign(SigningStrings.registerSkills(json.readTree(skillsText)));
      return new Registration(
          keys,
          "{\"type\":\"REGISTER_SKILLS\",\"skills\":" + skillsText + ",\"sig\":\"" + sig + "\"}");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
