package io.agentchat.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed and abusive input: each gets an ERROR with the reference's code and the connection
 * stays usable, except the limits that must cut a connection off (and only that one).
 */
class BadInputTest {
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay =
        TestRelay.start(
            new RelayOptions()
                .maxFrameBytes(64 * 1024)
                .maxOutboundBytes(64 * 1024)
                .frameWindowLimit(60));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  private static void refused(WireClient c, String frame, String code, String message) {
    c.send(frame);
    JsonObject error = c.expectError(code);
    if (message != null) {
      assertEquals(message, error.getString("message"), frame);
    }
  }

  @Test
  void malformedFramesGetInvalidMsgAndTheConnectionStaysUsable() {
    try (WireClient c = relay.ephemeral("garbled")) {
      refused(c, "{not json", "INVALID_MSG", "Invalid JSON");
      refused(c, "", "INVALID_MSG", "Invalid JSON");
      refused(c, "null", "INVALID_MSG", "Invalid message: expected a JSON object");
      refused(c, "42", "INVALID_MSG", null);
      refused(c, "[1,2]", "INVALID_MSG", null);
      refused(c, "{\"type\":\"PING\"} trailing", "INVALID_MSG", "Invalid JSON");
      refused(c, "{}", "INVALID_MSG", "Missing message type");
      refused(c, "{\"type\":7}", "INVALID_MSG", "Missing message type");
      refused(c, "{\"type\":\"DANCE\"}", "INVALID_MSG", "Unknown message type: DANCE");
      refused(c, "{\"type\":\"JOIN\"}", "INVALID_MSG", "Invalid channel name");
      refused(c, "{\"type\":\"JOIN\",\"channel\":\"general\"}", "INVALID_MSG", null);
      refused(
          c, "{\"type\":\"JOIN\",\"channel\":\"#" + "x".repeat(32) + "\"}", "INVALID_MSG", null);
      refused(c, "{\"type\":\"MSG\",\"to\":5,\"content\":\"x\"}", "INVALID_MSG", null);
      refused(c, "{\"type\":\"MSG\",\"to\":\"general\",\"content\":\"x\"}", "INVALID_MSG", null);
      refused(
          c,
          "{\"type\":\"MSG\",\"to\":\"#general\",\"content\":5}",
          "INVALID_MSG",
          "Content must be a string");
      refused(c, "{\"type\":\"INVITE\",\"channel\":\"#general\",\"agent\":5}", "INVALID_MSG", null);
      refused(c, "{\"type\":\"VERIFY_REQUEST\",\"target\":5,\"nonce\":\"x\"}", "INVALID_MSG", null);
      refused(
          c, "{\"type\":\"PROPOSAL\",\"to\":5,\"task\":\"t\",\"sig\":\"s\"}", "INVALID_MSG", null);
      refused(
          c,
          "{\"type\":\"REGISTER_SKILLS\",\"skills\":[null],\"sig\":\"s\"}",
          "INVALID_MSG",
          "Each skill must be an object");
      refused(
          c,
          "{\"type\":\"SEARCH_SKILLS\",\"query\":{\"capability\":5}}",
          "INVALID_MSG",
          "query.capability must be a string");
      refused(
          c,
          "{\"type\":\"SET_PRESENCE\",\"status\":\"away\",\"status_text\":\""
              + "x".repeat(101)
              + "\"}",
          "INVALID_MSG",
          null);
      c.expectNothingMore();
    }
  }

  @Test
  void actionsBeforeIdentifyNeedALogin() {
    try (WireClient c = relay.connect()) {
      refused(
          c,
          "{\"type\":\"JOIN\",\"channel\":\"#general\"}",
          "AUTH_REQUIRED",
          "Must IDENTIFY first");
      refused(c, "{\"type\":\"MSG\",\"to\":\"#general\",\"content\":\"x\"}", "AUTH_REQUIRED", null);
      refused(c, "{\"type\":\"SEARCH_SKILLS\",\"query\":{}}", "AUTH_REQUIRED", null);
      c.send("{\"type\":\"LIST_CHANNELS\"}");
      c.expect("CHANNELS");
      c.send("{\"type\":\"TYPING\",\"channel\":\"#general\"}");
      c.expectNothingMore();
    }
  }

  @Test
  void binaryFramesAreReadAsUtf8Text() {
    try (WireClient c = relay.connect()) {
      c.sendBinary("{\"type\":\"PING\"}".getBytes(StandardCharsets.UTF_8));
      c.expect("PONG");
    }
  }

  @Test
  void messagesOverTheBurstAreRateLimited() {
    RelayOptions strict = new RelayOptions().msgRate(1).msgBurst(3);
    try (TestRelay own = TestRelay.start(strict);
        WireClient c = own.ephemeral("chatty")) {
      for (int i = 0; i < 3; i++) {
        c.send(new JsonObject().put("type", "MSG").put("to", c.agentId).put("content", "m" + i));
        c.expect("MSG");
      }
      c.send(new JsonObject().put("type", "MSG").put("to", c.agentId).put("content", "over"));
      assertEquals(
          "Rate limit exceeded (max 1 message per second)",
          c.expectError("RATE_LIMITED").getString("message"));
      c.expectNothingMore();
    }
  }

  @Test
  void moreThanTheFrameCapInTenSecondsIsRefused() {
    try (WireClient c = relay.ephemeral("flooder")) {
      int pongs = 0;
      int limited = 0;
      for (int i = 0; i < 70; i++) {
        c.send("{\"type\":\"PING\"}");
      }
      for (int i = 0; i < 70; i++) {
        JsonObject f = c.next();
        if (f.getString("type").equals("PONG")) {
          pongs++;
        } else if ("RATE_LIMITED".equals(f.getString("code"))) {
          limited++;
        }
      }
      // One window counts every frame of the connection: the IDENTIFY took one of the 60.
      assertEquals(59, pongs);
      assertEquals(11, limited);
      assertFalse(c.isClosed(), "after login a flood is refused, not cut off");
    }
  }

  @Test
  void aFloodBeforeLoginClosesTheConnection() {
    try (WireClient c = relay.connect()) {
      for (int i = 0; i < 11; i++) {
        c.send("{\"type\":\"PING\"}");
      }
      for (int i = 0; i < 10; i++) {
        c.expect("PONG");
      }
      c.expectError("RATE_LIMITED");
      assertEquals(1008, c.awaitClose());
    }
  }

  @Test
  void anOversizeFrameClosesOnlyThatConnection() {
    try (WireClient big = relay.ephemeral("big");
        WireClient bystander = relay.ephemeral("by")) {
      big.send(
          "{\"type\":\"MSG\",\"to\":\"#general\",\"content\":\"" + "x".repeat(70 * 1024) + "\"}");
      assertEquals(1009, big.awaitClose());
      bystander.expectNothingMore();
    }
  }

  @Test
  void randomGarbageNeverBreaksTheServer() {
    Random random = new Random(20261121);
    try (WireClient c = relay.ephemeral("fuzz")) {
      String[] templates = {
        "{\"type\":\"MSG\",\"to\":%s,\"content\":%s}",
        "{\"type\":\"JOIN\",\"channel\":%s}",
        "{\"type\":\"PROPOSAL\",\"to\":%s,\"task\":%s,\"sig\":%s}",
        "{\"type\":\"REGISTER_SKILLS\",\"skills\":%s,\"sig\":%s}",
        "{\"type\":\"SET_NICK\",\"nick\":%s}",
        "{\"type\":%s}",
        "%s"
      };
      String[] values = {
        "null",
        "5",
        "-0",
        "1e400",
        "true",
        "\"\"",
        "\"#\"",
        "\"@\"",
        "[]",
        "[null]",
        "{}",
        "[{}]",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "{\"a\":[[[[]]]]}",
        "\"#general\""
      };
      int errors = 0;
      // 25 rounds of two frames stay under the 60-frames-per-10s cap this relay enforces.
      for (int i = 0; i < 25; i++) {
        String frame;
        if (random.nextBoolean()) {
          byte[] bytes = new byte[random.nextInt(200)];
          random.nextBytes(bytes);
          frame = new String(bytes, StandardCharsets.ISO_8859_1);
        } else {
          String t = templates[random.nextInt(templates.length)];
          Object[] args = new Object[3];
          for (int a = 0; a < 3; a++) {
            args[a] = values[random.nextInt(values.length)];
          }
          frame = String.format(t, args);
        }
        c.send(frame);
        c.send("{\"type\":\"PING\"}");
        JsonObject f = c.next();
        while (!f.getString("type").equals("PONG")) {
          assertTrue(
              f.getString("type").equals("ERROR")
                  || f.getString("type").equals("JOINED")
                  || f.getString("type").equals("MSG"),
              f.encode());
          if (f.getString("type").equals("ERROR")) {
            errors++;
            assertFalse(f.getString("message").contains("Exception"), f.encode());
          }
          f = c.next();
        }
      }
      assertTrue(errors > 10, "most garbage is refused with an ERROR");
    }
    try (WireClient after = relay.ephemeral("after")) {
      after.expectNothingMore();
    }
  }

  @Test
  void aReaderThatStopsReadingIsCutOffAndOthersAreUnaffected() {
    RelayOptions opts =
        new RelayOptions()
            .maxOutboundBytes(64 * 1024)
            .msgRate(10_000)
            .msgBurst(10_000)
            .frameWindowLimit(100_000);
    try (TestRelay own = TestRelay.start(opts);
        WireClient sender = own.ephemeral("sender");
        WireClient stalled = own.ephemeral("stalled")) {
      sender.join("#general");
      stalled.join("#general");
      sender.expect("AGENT_JOINED");
      stalled.pauseReading();
      String content = "y".repeat(60 * 1024);
      boolean cutOff = false;
      for (int i = 0; i < 2000 && !cutOff; i++) {
        sender.send(
            new JsonObject().put("type", "MSG").put("to", "#general").put("content", content));
        JsonObject f = sender.next();
        while (!f.getString("type").equals("MSG")) {
          if (f.getString("type").equals("AGENT_LEFT")) {
            assertEquals(stalled.agentId, f.getString("agent"));
            cutOff = true;
          }
          f = sender.next();
        }
        if (!cutOff && i % 10 == 0) {
          sender.send("{\"type\":\"PING\"}");
          for (f = sender.next(); !f.getString("type").equals("PONG"); f = sender.next()) {
            if (f.getString("type").equals("AGENT_LEFT")) {
              cutOff = true;
            }
          }
        }
      }
      assertTrue(cutOff, "the stalled reader was disconnected once its queue passed the bound");
      sender.expectNothingMore();
    }
  }
}
