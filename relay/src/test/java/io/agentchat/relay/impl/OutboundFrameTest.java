package io.agentchat.relay.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** A frame is framed once as an unmasked WebSocket text frame, with each length encoding. */
class OutboundFrameTest {

  private static String json(int size) {
    String head = "{\"type\":\"MSG\",\"content\":\"";
    return head + "x".repeat(size - head.length() - 2) + "\"}";
  }

  private static void assertFramed(int payloadSize, int headerSize, byte... lengthBytes) {
    String text = json(payloadSize);
    OutboundFrame frame = OutboundFrame.ofJson(text);
    ByteBuf wire = frame.wireFrame();
    try {
      assertEquals(headerSize + payloadSize, wire.readableBytes());
      assertEquals((byte) 0x81, wire.getByte(0), "FIN + text opcode, no RSV bits");
      for (int i = 0; i < lengthBytes.length; i++) {
        assertEquals(lengthBytes[i], wire.getByte(1 + i), "length byte " + i);
      }
      assertEquals(payloadSize, frame.size());
      assertEquals(text, frame.text());
    } finally {
      wire.release();
    }
  }

  @Test
  void aPayloadUnder126BytesHasItsLengthInTheSecondByte() {
    assertFramed(125, 2, (byte) 125);
  }

  @Test
  void aPayloadFrom126To65535BytesHasASixteenBitLength() {
    assertFramed(126, 4, (byte) 126, (byte) 0, (byte) 126);
    assertFramed(65535, 4, (byte) 126, (byte) 0xFF, (byte) 0xFF);
  }

  @Test
  void aLargerPayloadHasASixtyFourBitLength() {
    assertFramed(
        65536,
        10,
        (byte) 127,
        (byte) 0,
        (byte) 0,
        (byte) 0,
        (byte) 0,
        (byte) 0,
        (byte) 1,
        (byte) 0,
        (byte) 0);
  }

  @Test
  void writingADuplicateLeavesTheSharedFrameIntact() {
    OutboundFrame frame = OutboundFrame.ofJson(json(300));
    ByteBuf copy = frame.wireFrame();
    copy.skipBytes(copy.readableBytes());
    copy.release();
    assertEquals(304, frame.wireFrame().readableBytes());
    assertEquals(json(300), frame.text());
  }

  @Test
  void theEventBusCodecCarriesPositionExclusionAndPayload() {
    OutboundFrame frame = OutboundFrame.ofJson(json(200)).inChannel(42, "abc");
    OutboundFrame.Codec codec = new OutboundFrame.Codec();
    Buffer buffer = Buffer.buffer();
    codec.encodeToWire(buffer, frame);
    OutboundFrame back = codec.decodeFromWire(0, buffer);
    assertEquals(42, back.channelSeq());
    assertEquals("abc", back.excludeAgent());
    assertEquals(frame.text(), back.text());
    assertEquals(frame.headerLength(), back.headerLength());
  }
}
