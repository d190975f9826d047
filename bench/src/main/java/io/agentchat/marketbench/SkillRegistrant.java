package io.agentchat.marketbench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.bench.core.FrameScan;
import io.agentchat.bench.core.LoadFailure;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.SigningStrings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/**
 * The search scenario's set-up on one loop: each bench agent gets a fresh key, logs in, sends one
 * REGISTER_SKILLS and waits for SKILLS_REGISTERED, then disconnects. Registrations stay in the
 * server's registry after the socket closes. Confined to its loop.
 */
final class SkillRegistrant {
  private final MarketLoop loop;
  private final String runId;

  SkillRegistrant(MarketLoop loop, String runId) {
    this.loop = loop;
    this.runId = runId;
  }

  /**
   * Registers one agent. Key generation, skill generation and signing run on a worker thread.
   *
   * @return completes when the agent is registered and disconnected; a failure is recorded in the
   *     loop's stats as well
   */
  Future<Void> register(int index) {
    MarketBenchOptions o = loop.options();
    return loop.vertx()
        .executeBlocking(() -> registration(o.seed(), index, o.skillsOf(index)), false)
        .compose(
            frame -> {
              MarketConnection c =
                  new MarketConnection(loop, "mb" + runId + "r" + index, frame.keys());
              return c.login().compose(v -> exchange(c, frame.text())).eventually(c::close);
            })
        .onFailure(
            e -> loop.stats().setupFailed("agent " + index + ": " + LoadFailure.describe(e)));
  }

  private Future<Void> exchange(MarketConnection c, String frame) {
    Promise<Void> done = Promise.promise();
    long timeoutMs = loop.options().requestTimeout().toMillis();
    long started = System.nanoTime();
    long timer =
        loop.vertx()
            .setTimer(
                timeoutMs,
                t -> done.tryFail("REGISTER_SKILLS not answered within " + timeoutMs + " ms"));
    c.listener(
        new MarketConnection.Listener() {
          @Override
          public void onFrame(MarketConnection from, String type, String text) {
            if ("SKILLS_REGISTERED".equals(type)) {
              if (done.tryComplete()) {
                loop.stats().setupDone(System.nanoTime() - started);
              }
            } else if ("ERROR".equals(type)) {
              JsonObject e = FrameScan.parse(text);
              done.tryFail(
                  "REGISTER_SKILLS refused: " + e.getValue("code") + " " + e.getValue("message"));
            }
          }

          @Override
          public void onClosed(MarketConnection from, String why) {
            done.tryFail(why);
          }
        });
    c.send(frame);
    return done.future().onComplete(ar -> loop.vertx().cancelTimer(timer));
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
