package io.agentchat.relay.impl;

import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.nio.charset.StandardCharsets;

/**
 * A server frame encoded once, ready to be written to any number of sockets. The bytes are kept as
 * a complete WebSocket text frame (header and JSON payload), which is the same for every recipient
 * because server frames are not masked: fan-out writes a zero-copy duplicate of it to each socket,
 * with no per-recipient framing. Immutable and safe to share between event loops.
 *
 * @param wire the WebSocket frame (header + payload) in a heap buffer, never modified after
 *     construction; only duplicates are handed out
 * @param headerLength bytes of WebSocket header in front of the payload
 * @param channelSeq position in its channel's total order, or 0 when not a channel frame
 * @param excludeAgent bare id of a channel member that must not receive it (the sender of
 *     AGENT_JOINED or TYPING), or null
 */
record OutboundFrame(ByteBuf wire, int headerLength, long channelSeq, String excludeAgent) {
  /** FIN set, opcode 1 (text): every frame the relay writes is one complete text message. */
  private static final byte FIN_TEXT = (byte) 0x81;

  /** Encodes a frame for direct delivery. */
  static OutboundFrame of(ServerFrame frame) {
    return framed(FrameCodec.encode(frame), 0, null);
  }

  /** Wraps JSON text that is already a complete server frame. */
  static OutboundFrame ofJson(String json) {
    return framed(json.getBytes(StandardCharsets.UTF_8), 0, null);
  }

  /** Frames a UTF-8 JSON payload as one unmasked WebSocket text frame (RFC 6455 §5.2). */
  private static OutboundFrame framed(byte[] payload, long seq, String exclude) {
    int n = payload.length;
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    // Max capacity equals the size on purpose: the buffer is shared by every recipient, and a
    // full, non-growable buffer is one no handler (SslHandler's write coalescing, say) can append
    // another socket's bytes to.
    ByteBuf wire = Unpooled.buffer(header + n, header + n);
    wire.writeByte(FIN_TEXT);
    if (n < 126) {
      wire.writeByte(n);
    } else if (n <= 0xFFFF) {
      wire.writeByte(126).writeShort(n);
    } else {
      wire.writeByte(127).writeLong(n);
    }
    wire.writeBytes(payload);
    return new OutboundFrame(wire, header, seq, exclude);
  }

  /** The same bytes, placed at {@code seq} in a channel's order. */
  OutboundFrame inChannel(long seq, String exclude) {
    return new OutboundFrame(wire, headerLength, seq, exclude);
  }

  /** The JSON payload without the WebSocket header; a view, not a copy. */
  ByteBuf payload() {
    return wire.slice(wire.readerIndex() + headerLength, size());
  }

  /** Size of the JSON payload, for queue accounting and logs. */
  int size() {
    return wire.readableBytes() - headerLength;
  }

  /**
   * The complete WebSocket frame as a retained duplicate of the shared bytes, for writing straight
   * to a socket's channel; Netty releases the duplicate after the write.
   */
  ByteBuf wireFrame() {
    return wire.retainedDuplicate();
  }

  /**
   * A WebSocket text frame over a retained duplicate of the payload, for Vert.x's own write path.
   * Vert.x's public API only builds text frames from a String, which would re-encode per recipient,
   * hence the impl class.
   */
  WebSocketFrame toWebSocketFrame() {
    return new WebSocketFrameImpl(
        WebSocketFrameType.TEXT,
        wire.retainedSlice(wire.readerIndex() + headerLength, size()),
        true);
  }

  /** The JSON text, for tests and logs. */
  String text() {
    return payload().toString(StandardCharsets.UTF_8);
  }

  /**
   * Event-bus codec. Within one JVM the frame travels as the same object (no copy: that is the
   * point of encoding once); across a cluster it is written as seq, excluded agent and bytes.
   */
  static final class Codec implements MessageCodec<OutboundFrame, OutboundFrame> {
    static final String NAME = "agentchat-outbound-frame";

    @Override
    public void encodeToWire(Buffer buffer, OutboundFrame frame) {
      buffer.appendLong(frame.channelSeq);
      byte[] exclude =
          frame.excludeAgent == null
              ? new byte[0]
              : frame.excludeAgent.getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(exclude.length).appendBytes(exclude);
      byte[] body = new byte[frame.size()];
      frame.payload().getBytes(0, body);
      buffer.appendInt(body.length).appendBytes(body);
    }

    @Override
    public OutboundFrame decodeFromWire(int pos, Buffer buffer) {
      long seq = buffer.getLong(pos);
      int exLen = buffer.getInt(pos + 8);
      String exclude = exLen == 0 ? null : buffer.getString(pos + 12, pos + 12 + exLen, "UTF-8");
      int bodyPos = pos + 12 + exLen;
      int bodyLen = buffer.getInt(bodyPos);
      byte[] body = buffer.getBytes(bodyPos + 4, bodyPos + 4 + bodyLen);
      return framed(body, seq, exclude);
    }

    @Override
    public OutboundFrame transform(OutboundFrame frame) {
      return frame;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
