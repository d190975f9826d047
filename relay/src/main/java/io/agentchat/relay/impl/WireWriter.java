package io.agentchat.relay.impl;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * Writes one connection's frames straight to its Netty channel as ready-made WebSocket frames,
 * leaving the flush to its loop's {@link PendingFlushes}.
 *
 * <p>Why an internal Vert.x API: the public {@link ServerWebSocket} flushes every frame it writes
 * (one {@code write(2)} per frame and recipient), frames the same payload again for every
 * recipient, and has no write-without-flush. {@code WebSocketInternal.channelHandlerContext()} is
 * the one door to the channel, and this class is the only user of it. Writes go through the same
 * handler context Vert.x writes through, so its own frames (pings, close) stay in order with ours,
 * and they land in the same Netty outbound buffer, whose high watermark Vert.x set from {@code
 * setWriteQueueMaxSize}: {@link #full} is the {@code --max-outbound-bytes} bound, counting
 * written-but-unflushed bytes too.
 *
 * <p>Only for use on the connection's event loop.
 */
final class WireWriter {
  private final ChannelHandlerContext ctx;
  private final Channel channel;
  private final ChannelPromise noResult;
  private final PendingFlushes flushes;

  /** Written since the last flush; owned by {@link PendingFlushes}. */
  boolean dirty;

  private WireWriter(ChannelHandlerContext ctx, PendingFlushes flushes) {
    this.ctx = ctx;
    this.channel = ctx.channel();
    // Failures (a socket that closed under us) are the close handler's business, not an event.
    this.noResult = new VoidChannelPromise(channel, false);
    this.flushes = flushes;
    flushes.bind(channel.eventLoop());
  }

  /**
   * A writer for this socket, or null when Vert.x does not expose its channel (another Vert.x
   * version) or a compression extension was negotiated (it must see frames, not bytes); the
   * connection then writes through Vert.x.
   */
  static WireWriter attach(ServerWebSocket ws, PendingFlushes flushes) {
    if (!(ws instanceof WebSocketInternal internal)) {
      return null;
    }
    ChannelHandlerContext ctx = internal.channelHandlerContext();
    if (ctx == null || ctx.pipeline().get(WebSocketExtensionEncoder.class) != null) {
      return null;
    }
    return new WireWriter(ctx, flushes);
  }

  /** True while more than {@code --max-outbound-bytes} wait in the channel for the peer. */
  boolean full() {
    return !channel.isWritable();
  }

  /** Queues a complete WebSocket frame; it leaves when {@link PendingFlushes} flushes. */
  void write(ByteBuf wireFrame) {
    if (flushes.immediate()) {
      dirty = false;
      ctx.writeAndFlush(wireFrame, noResult);
      return;
    }
    ctx.write(wireFrame, noResult);
    flushes.written(this);
  }

  void flush() {
    dirty = false;
    ctx.flush();
  }
}
