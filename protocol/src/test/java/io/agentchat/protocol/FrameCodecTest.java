package io.agentchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The codec alone: text in, records or refusals out; records in, exact wire text out. */
class FrameCodecTest {

  private static ProtocolException refusal(String text) {
    return assertThrows(ProtocolException.class, () -> FrameCodec.decodeClient(text));
  }

  @Test
  void anIdentifyWithoutKeyDecodesAsEphemeral() {
    ClientFrame f =
        FrameCodec.decodeClient("{\"type\":\"IDENTIFY\",\"name\":\"a-b_1\",\"pubkey\":null}");
    ClientFrame.Identify id = assertInstanceOf(ClientFrame.Identify.class, f);
    assertEquals("a-b_1", id.name());
    assertNull(id.pubkey());
  }

  @Test
  void aBareNullANumberOrAnArrayIsRefusedNotCrashed() {
    assertEquals("Invalid message: expected a JSON object", refusal("null").getMessage());
    assertEquals(ErrorCode.INVALID_MSG, refusal("5").code());
    assertEquals(ErrorCode.INVALID_MSG, refusal("[]").code());
    assertEquals("Invalid JSON", refusal("{").getMessage());
    assertEquals("Invalid JSON", refusal("").getMessage());
  }

  @Test
  void deeplyNestedInputIsRefusedWithoutAStackOverflow() {
    String deep =
        "{\"type\":\"MSG\",\"to\":\"#a\",\"content\":\"x\",\"in_reply_to\":"
            + "[".repeat(5000)
            + "]".repeat(5000)
            + "}";
    assertEquals("Invalid JSON", refusal(deep).getMessage());
  }

  @Test
  void unknownAndMissingTypesAreNamedInTheRefusal() {
    assertEquals("Missing message type", refusal("{\"name\":\"x\"}").getMessage());
    assertEquals("Unknown message type: FOO", refusal("{\"type\":\"FOO\"}").getMessage());
    String longType = "T".repeat(500);
    assertTrue(refusal("{\"type\":\"" + longType + "\"}").getMessage().length() < 100);
  }

  @Test
  void aMsgKeepsOnlyTruthyReplyReferences() {
    ClientFrame.Msg m =
        (ClientFrame.Msg)
            FrameCodec.decodeClient(
                "{\"type\":\"MSG\",\"to\":\"#general\",\"content\":\"\",\"in_reply_to\":0}");
    assertNull(m.inReplyTo());
    assertEquals("", m.content());
    m =
        (ClientFrame.Msg)
            FrameCodec.decodeClient(
                "{\"type\":\"MSG\",\"to\":\"@abcd1234\",\"content\":\"x\",\"in_reply_to\":\"m1\"}");
    assertEquals("m1", m.inReplyTo().asText());
  }

  @Test
  void proposalNumbersStayAsParsedSoSignaturesCanBeRebuilt() {
    ClientFrame.Proposal p =
        (ClientFrame.Proposal)
            FrameCodec.decodeClient(
                "{\"type\":\"PROPOSAL\",\"to\":\"@0123456789abcdef\",\"task\":\"Review PR #42\","
                    + "\"amount\":1.5,\"currency\":\"SOL\",\"expires\":300,\"sig\":\"s\"}");
    assertEquals(
        "@0123456789abcdef|Review PR #42|1.5|SOL||300|",
        SigningStrings.proposal(
            p.to(),
            p.task(),
            p.amount(),
            p.currency() == null
                ? null
                : com.fasterxml.jackson.databind.node.TextNode.valueOf(p.currency()),
            null,
            p.expires(),
            p.eloStake()));
    String fractionalStake =
        "{\"type\":\"PROPOSAL\",\"to\":\"@a\",\"task\":\"t\",\"elo_stake\":1.5,\"sig\":\"s\"}";
    assertEquals("elo_stake must be a non-negative integer", refusal(fractionalStake).getMessage());
    assertEquals(
        "currency must be a string",
        refusal("{\"type\":\"PROPOSAL\",\"to\":\"@a\",\"task\":\"t\",\"currency\":5,\"sig\":\"s\"}")
            .getMessage());
  }

  @Test
  void reservedNicksAreRefusedWithInvalidName() {
    ProtocolException e = refusal("{\"type\":\"SET_NICK\",\"nick\":\"ROOT\"}");
    assertEquals(ErrorCode.INVALID_NAME, e.code());
    assertEquals("Nick \"ROOT\" is reserved", e.getMessage());
  }

  @Test
  void serverFramesStartWithTypeThenTs() {
    String json =
        FrameCodec.encodeToString(
            new ServerFrame.Error(1700000000000L, ErrorCode.NOT_INVITED, "Not a member of #x"));
    assertEquals(
        "{\"type\":\"ERROR\",\"ts\":1700000000000,\"code\":\"NOT_INVITED\","
            + "\"message\":\"Not a member of #x\"}",
        json);
  }

  @Test
  void optionalServerFieldsAreOmittedAndRequiredNullsAreKept() {
    String msg =
        FrameCodec.encodeToString(
            new ServerFrame.Msg(
                1, "@server", "Server", "#general", "hi", null, null, null, null, null));
    assertEquals(
        "{\"type\":\"MSG\",\"ts\":1,\"from\":\"@server\",\"from_name\":\"Server\","
            + "\"to\":\"#general\",\"content\":\"hi\"}",
        msg);
    String presence =
        FrameCodec.encodeToString(new ServerFrame.PresenceChanged(2, "@a", "n", "online", null));
    assertTrue(presence.endsWith("\"status_text\":null}"), presence);
    String channels =
        FrameCodec.encodeToString(
            new ServerFrame.Channels(
                3,
                List.of(
                    new ServerFrame.ChannelSummary("#ops", 0, true),
                    new ServerFrame.ChannelSummary("#general", 2, null))));
    assertEquals(
        "{\"type\":\"CHANNELS\",\"ts\":3,\"list\":[{\"name\":\"#ops\",\"agents\":0,"
            + "\"verifiedOnly\":true},{\"name\":\"#general\",\"agents\":2}]}",
        channels);
  }

  @Test
  void clientsDecodeKnownServerFramesToRecordsAndKeepUnknownOnes() {
    ServerFrame w =
        FrameCodec.decodeServer(
            "{\"type\":\"WELCOME\",\"ts\":5,\"agent_id\":\"@x\","
                + "\"name\":\"n\",\"server\":\"s\",\"disclaimer\":\"d\",\"extra\":1}");
    ServerFrame.Welcome welcome = assertInstanceOf(ServerFrame.Welcome.class, w);
    assertEquals("@x", welcome.agentId());
    String newer = "{\"type\":\"ESCROW_RELEASED\",\"ts\":6,\"id\":\"p\"}";
    ServerFrame other = FrameCodec.decodeServer(newer);
    assertInstanceOf(ServerFrame.Other.class, other);
    assertEquals("ESCROW_RELEASED", other.type());
    assertEquals(newer, FrameCodec.encodeToString(other));
  }

  @Test
  void clientFramesEncodeWithTheirTypeAndJavaScriptNumbers() {
    assertEquals(
        "{\"type\":\"VERIFY_IDENTITY\",\"challenge_id\":\"c\",\"signature\":\"s\","
            + "\"timestamp\":1700000000000}",
        FrameCodec.encode(new ClientFrame.VerifyIdentity("c", "s", 1700000000000d)));
    assertEquals(
        "{\"type\":\"MSG\",\"to\":\"#a\",\"content\":\"x\"}",
        FrameCodec.encode(new ClientFrame.Msg("#a", "x")));
    assertEquals(
        "{\"type\":\"CREATE_CHANNEL\",\"channel\":\"#p\",\"invite_only\":true,"
            + "\"verified_only\":false}",
        FrameCodec.encode(new ClientFrame.CreateChannel("#p", true, false)));
  }
}
