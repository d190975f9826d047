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
 * A server frame encoded once, ready to be written to any number of sockets. Fan-out writes a
 * zero-copy duplicate of the same bytes to each recipient. Immutable and safe to share between
 * event loops.
 *
 * @param bytes the encoded JSON, never modified after construction
 * @param channelSeq position in its channel's total order, or 0 when not a channel frame
 * @param excludeAgent bare id of a channel member that must not receive it (the sender of
 *     AGENT_JOINED or TYPING), or null
 */
record OutboundFrame(ByteBuf bytes, long channelSeq, String excludeAgent) {

  /** Encodes a frame for direct delivery. */
  static OutboundFrame of(ServerFrame frame) {
    return new OutboundFrame(Unpooled.wrappedBuffer(FrameCodec.encode(frame)), 0, null);
  }

  /** Wraps JSON text that is already a complete server frame. */
  static OutboundFrame ofJson(String json) {
    return new OutboundFrame(
        Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)), 0, null);
  }

  /** The same bytes, placed at {@code seq} in a channel's order. */
  OutboundFrame inChannel(long seq, String exclude) {
    return new OutboundFrame(bytes, seq, exclude);
  }

  /** Size on the wire, for queue accounting and logs. */
  int size() {
    return bytes.readableBytes();
  }

  /**
   * A WebSocket text frame over a retained duplicate of the shared bytes; Netty releases the
   * duplicate after the write, the shared original stays intact. Vert.x's public API only builds
   * text frames from a String, which would re-encode per recipient, hence the impl class.
   */
  WebSocketFrame toWebSocketFrame() {
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, bytes.retainedDuplicate(), true);
  }

  /** The JSON text, for tests and logs. */
  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
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
      byte[] exclude = frame.excludeAgent == null
          ? new byte[0] : frame.excludeAgent.getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(exclude.length).appendBytes(exclude);
      byte[] body = new byte[frame.size()];
      frame.bytes.getBytes(frame.bytes.readerIndex(), body);
      buffer.appendInt(body.length).appendBytes(body);
    }

    @Override
    public OutboundFrame decodeFromWire(int pos, Buffer buffer) {
      long seq = buffer.getLong(pos);
      int exLen = buffer.getInt(pos + 8);
      String exclude =
          exLen == 0 ? null : buffer.getString(pos + 12, pos + 12 + exLen, "UTF-8");
      int bodyPos = pos + 12 + exLen;
      int bodyLen = buffer.getInt(bodyPos);
      byte[] body = buffer.getBytes(bodyPos + 4, bodyPos + 4 + bodyLen);
      return new OutboundFrame(Unpooled.wrappedBuffer(body), seq, exclude);
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
