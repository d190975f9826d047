package io.agentchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class BenchContentTest {
  private final BenchContent content = new BenchContent("r1", "#bench");

  @Test
  void aSentFrameIsAValidMsgWhoseDeliveryYieldsTheSendTime() {
    String frame = content.msgFrame(7, 42, 123456789L);
    JsonObject msg = new JsonObject(frame);
    assertEquals("MSG", msg.getString("type"));
    assertEquals("#bench", msg.getString("to"));
    assertEquals("bench:r1:7:42:123456789", msg.getString("content"));

    String delivered =
        "{\"type\":\"MSG\",\"ts\":1,\"from\":\"@abc\",\"from_name\":\"n\","
            + "\"to\":\"#bench\",\"content\":\"bench:r1:7:42:123456789\",\"msg_id\":\"x\"}";
    assertEquals(123456789L, content.sentNanos(delivered));
  }

  @Test
  void otherRunsAndOtherMessagesAreNotDeliveries() {
    assertEquals(
        -1,
        content.sentNanos("{\"type\":\"MSG\",\"content\":\"bench:r2:7:42:123\",\"replay\":true}"));
    assertEquals(-1, content.sentNanos("{\"type\":\"MSG\",\"content\":\"hello\"}"));
    assertEquals(-1, content.sentNanos("{\"type\":\"MSG\",\"content\":\"bench:r1:x:y:\"}"));
  }
}
