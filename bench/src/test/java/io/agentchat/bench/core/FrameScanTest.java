package io.agentchat.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FrameScanTest {

  @Test
  void theTypeIsReadFromThePrefixOrByParsing() {
    assertEquals("WELCOME", FrameScan.type("{\"type\":\"WELCOME\",\"ts\":1}"));
    assertEquals("ERROR", FrameScan.type("{\"ts\":1,\"type\":\"ERROR\"}"));
    assertNull(FrameScan.type("not json"));
  }

  @Test
  void theLeadingIdAndTheTrailingTotalAreScannedPastAgentText() {
    String frame =
        "{\"type\":\"SEARCH_RESULTS\",\"ts\":1,\"query_id\":\"q-7\",\"query\":"
            + "{\"capability\":\"x\"},\"results\":[{\"description\":\"\\\"total\\\":5\"}],"
            + "\"total\":42}";
    assertEquals("SEARCH_RESULTS", FrameScan.type(frame));
    assertEquals("q-7", FrameScan.firstString(frame, "query_id"));
    assertEquals(42, FrameScan.lastLong(frame, "total"));
  }

  @Test
  void anEscapedIdIsParsedInstead() {
    String frame = "{\"type\":\"WELCOME\",\"ts\":1,\"agent_id\":\"@a\\u0062\"}";
    assertNull(FrameScan.firstString(frame, "agent_id"));
    assertEquals("@ab", FrameScan.string(frame, "agent_id"));
    assertNull(FrameScan.string("{\"type\":\"WELCOME\"}", "agent_id"));
  }
}
