package io.agentchat.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.identity.AgentKeyPair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Channels: defaults, JOIN/LEAVE, replay, invite-only, listing. */
class ChannelsTest {
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(new RelayOptions().bufferSize(3).msgBurst(50));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  private static List<String> names(JsonArray list) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      names.add(list.getJsonObject(i).getString("name"));
    }
    return names;
  }

  @Test
  void theDefaultChannelsAreListedInOrderAndOpsIsVerifiedOnly() {
    try (WireClient c = relay.connect()) {
      c.send("{\"type\":\"LIST_CHANNELS\"}");
      JsonArray list = c.expect("CHANNELS").getJsonArray("list");
      List<String> names = names(list);
      assertEquals(
          List.of(
              "#general",
              "#engineering",
              "#pull-requests",
              "#help",
              "#love",
              "#agents",
              "#discovery",
              "#bounties",
              "#ops",
              "#skills"),
          names.subList(0, 10));
      JsonObject ops = list.getJsonObject(8);
      assertEquals(Boolean.TRUE, ops.getBoolean("verifiedOnly"));
      assertFalse(list.getJsonObject(0).containsKey("verifiedOnly"));
    }
  }

  @Test
  void joiningSendsJoinedWithMembersAndTellsTheOthers() {
    try (WireClient a = relay.ephemeral("alice");
        WireClient b = relay.ephemeral("bob")) {
      a.join("#help");
      b.send("{\"type\":\"JOIN\",\"channel\":\"#help\"}");
      JsonObject joined = b.expect("JOINED");
      assertEquals("#help", joined.getString("channel"));
      JsonArray agents = joined.getJsonArray("agents");
      assertEquals(2, agents.size());
      assertEquals(a.agentId, agents.getJsonObject(0).getString("id"));
      assertEquals("alice", agents.getJsonObject(0).getString("name"));
      JsonObject welcome = b.expect("MSG");
      assertEquals("@server", welcome.getString("from"));
      assertTrue(welcome.getString("content").startsWith("Welcome to #help, bob (" + b.agentId));
      JsonObject notice = a.expect("AGENT_JOINED");
      assertEquals(b.agentId, notice.getString("agent"));
      assertEquals("bob", notice.getString("name"));
      assertEquals("#help", notice.getString("channel"));
      // A re-join sends JOINED again, without the welcome or AGENT_JOINED.
      b.send("{\"type\":\"JOIN\",\"channel\":\"#help\"}");
      b.expect("JOINED");
      b.expectNothingMore();
      a.expectNothingMore();
    }
  }

  @Test
  void aJoinerReceivesTheLastMessagesMarkedAsReplay() {
    try (WireClient a = relay.ephemeral("talker")) {
      a.join("#engineering");
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        a.send(
            new JsonObject().put("type", "MSG").put("to", "#engineering").put("content", "m" + i));
        ids.add(a.expect("MSG").getString("msg_id"));
      }
      try (WireClient b = relay.ephemeral("late")) {
        b.send("{\"type\":\"JOIN\",\"channel\":\"#engineering\"}");
        b.expect("JOINED");
        for (int i = 3; i <= 5; i++) {
          JsonObject replay = b.expect("MSG");
          assertEquals("m" + i, replay.getString("content"), "buffer keeps the last 3");
          assertEquals(Boolean.TRUE, replay.getBoolean("replay"));
          assertEquals(ids.get(i - 1), replay.getString("msg_id"), "original msg_id kept");
          assertEquals(a.agentId, replay.getString("from"));
        }
        assertEquals("@server", b.expect("MSG").getString("from"));
        // Live messages after the join are not marked as replay and are not duplicated.
        a.send("{\"type\":\"MSG\",\"to\":\"#engineering\",\"content\":\"live\"}");
        JsonObject live = b.expect("MSG");
        assertEquals("live", live.getString("content"));
        assertFalse(live.containsKey("replay"));
        b.expectNothingMore();
      }
    }
  }

  @Test
  void leavingSendsLeftAndTellsTheOthersWithTheName() {
    try (WireClient a = relay.ephemeral("stay");
        WireClient b = relay.ephemeral("go")) {
      a.join("#agents");
      b.join("#agents");
      a.expect("AGENT_JOINED");
      b.send("{\"type\":\"LEAVE\",\"channel\":\"#agents\"}");
      assertEquals("#agents", b.expect("LEFT").getString("channel"));
      JsonObject left = a.expect("AGENT_LEFT");
      assertEquals(b.agentId, left.getString("agent"));
      assertEquals("go", left.getString("name"));
      b.send("{\"type\":\"MSG\",\"to\":\"#agents\",\"content\":\"still here?\"}");
      assertEquals("Not a member of #agents", b.expectError("NOT_INVITED").getString("message"));
    }
  }

  @Test
  void aDisconnectTellsTheRemainingMembers() {
    try (WireClient a = relay.ephemeral("remain")) {
      a.join("#pull-requests");
      WireClient b = relay.ephemeral("vanish");
      b.join("#pull-requests");
      a.expect("AGENT_JOINED");
      b.close();
      assertEquals(b.agentId, a.expect("AGENT_LEFT").getString("agent"));
    }
  }

  @Test
  void unknownChannelsAreReported() {
    try (WireClient a = relay.ephemeral("lost")) {
      a.send("{\"type\":\"JOIN\",\"channel\":\"#nowhere\"}");
      assertEquals(
          "Channel #nowhere not found", a.expectError("CHANNEL_NOT_FOUND").getString("message"));
      a.send("{\"type\":\"MSG\",\"to\":\"#nowhere\",\"content\":\"x\"}");
      a.expectError("CHANNEL_NOT_FOUND");
      a.send("{\"type\":\"LIST_AGENTS\",\"channel\":\"#nowhere\"}");
      a.expectError("CHANNEL_NOT_FOUND");
      a.send("{\"type\":\"LEAVE\",\"channel\":\"#nowhere\"}");
      a.expectError("CHANNEL_NOT_FOUND");
    }
  }

  @Test
  void anInviteOnlyChannelRefusesAgentsThatWereNotInvited() {
    try (WireClient owner = relay.ephemeral("owner");
        WireClient guest = relay.ephemeral("guest");
        WireClient stranger = relay.ephemeral("stranger")) {
      owner.send("{\"type\":\"CREATE_CHANNEL\",\"channel\":\"#secret\",\"invite_only\":true}");
      JsonObject joined = owner.expect("JOINED");
      assertEquals(owner.agentId, joined.getJsonArray("agents").getJsonObject(0).getString("id"));
      owner.expectNothingMore();

      stranger.send("{\"type\":\"LIST_CHANNELS\"}");
      assertFalse(names(stranger.expect("CHANNELS").getJsonArray("list")).contains("#secret"));
      stranger.send("{\"type\":\"JOIN\",\"channel\":\"#secret\"}");
      assertEquals(
          "Channel #secret is invite-only",
          stranger.expectError("NOT_INVITED").getString("message"));
      stranger.send("{\"type\":\"LIST_AGENTS\",\"channel\":\"#secret\"}");
      stranger.expectError("NOT_INVITED");
      stranger.send(
          "{\"type\":\"INVITE\",\"channel\":\"#secret\",\"agent\":\"" + stranger.agentId + "\"}");
      stranger.expectError("NOT_INVITED");

      owner.send(
          new JsonObject()
              .put("type", "INVITE")
              .put("channel", "#secret")
              .put("agent", guest.agentId));
      JsonObject notice = guest.expect("MSG");
      assertEquals(owner.agentId, notice.getString("from"));
      assertEquals("You have been invited to #secret", notice.getString("content"));
      guest.send("{\"type\":\"JOIN\",\"channel\":\"#secret\"}");
      assertEquals(2, guest.expect("JOINED").getJsonArray("agents").size());
      owner.expect("AGENT_JOINED");
      owner.send("{\"type\":\"LIST_AGENTS\",\"channel\":\"#secret\"}");
      JsonObject agents = owner.expect("AGENTS");
      assertEquals(2, agents.getJsonArray("list").size());
      JsonObject entry = agents.getJsonArray("list").getJsonObject(1);
      assertEquals(guest.agentId, entry.getString("id"));
      assertEquals("online", entry.getString("presence"));
      assertTrue(entry.containsKey("status_text"));
    }
  }

  @Test
  void creatingAnExistingChannelIsRefused() {
    try (WireClient a = relay.ephemeral("maker")) {
      a.send("{\"type\":\"CREATE_CHANNEL\",\"channel\":\"#general\"}");
      assertEquals(
          "Channel #general already exists", a.expectError("CHANNEL_EXISTS").getString("message"));
      a.send("{\"type\":\"CREATE_CHANNEL\",\"channel\":\"#made\"}");
      a.expect("JOINED");
      a.send("{\"type\":\"LIST_CHANNELS\"}");
      JsonArray list = a.expect("CHANNELS").getJsonArray("list");
      assertTrue(names(list).contains("#made"));
    }
  }

  @Test
  void opsAdmitsOnlyAgentsThatProvedAKey() {
    try (WireClient eph = relay.ephemeral("nokey");
        WireClient keyed =
            WireClient.keyed(relay.vertx, relay.port(), "withkey", AgentKeyPair.generate())) {
      eph.send("{\"type\":\"JOIN\",\"channel\":\"#ops\"}");
      assertEquals(
          "Channel #ops requires verified identity",
          eph.expectError("AUTH_REQUIRED").getString("message"));
      JsonObject joined = keyed.join("#ops");
      assertEquals(
          Boolean.TRUE, joined.getJsonArray("agents").getJsonObject(0).getBoolean("verified"));
    }
  }
}
