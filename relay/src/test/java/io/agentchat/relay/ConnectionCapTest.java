package io.agentchat.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** --max-connections-per-ip: the connection over the cap is closed; a freed place can be reused. */
class ConnectionCapTest {
  private static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(new RelayOptions().maxConnectionsPerIp(2));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void theConnectionOverTheCapIsClosedAndAFreedPlaceCanBeTakenAgain() throws Exception {
    try (WireClient a = relay.ephemeral("cap-a");
        WireClient b = relay.ephemeral("cap-b")) {
      // Refused twice over: a refused connection never gives back a place it did not take.
      for (int refused = 0; refused < 2; refused++) {
        try (WireClient third = relay.connect()) {
          assertEquals(1008, third.awaitClose());
          assertEquals("Too many connections from this IP", third.closeReason());
        }
      }
      b.expectNothingMore();

      a.close();
      // The server frees a's place when it sees the close; until then a newcomer is refused.
      for (int attempt = 0; ; attempt++) {
        try (WireClient next = relay.connect()) {
          try {
            next.send(new JsonObject().put("type", "IDENTIFY").put("name", "cap-c"));
          } catch (RuntimeException closedFirst) {
            // Refused before the IDENTIFY left; the close reason below says why.
          }
          JsonObject reply = next.nextUnlessClosed();
          if (reply != null) {
            assertEquals("WELCOME", reply.getString("type"), reply::encode);
            break;
          }
          assertEquals("Too many connections from this IP", next.closeReason());
        }
        if (attempt == 100) {
          fail("a freed place was never given to a new connection");
        }
        Thread.sleep(50);
      }
      b.expectNothingMore();
    }
  }
}
