package io.agentchat.relay.impl;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The sockets one event loop has written to and not yet flushed, and the policy for when they
 * flush. Flushing is what costs: each flush of a socket is one {@code write(2)}/{@code writev(2)},
 * however many frames wait in it.
 *
 * <p>A write marks its socket and makes sure one flush task is queued on the loop. The task runs
 * after whatever the loop had already queued, so when fan-outs arrive back to back each socket is
 * flushed once for all of them; when the loop is idle the task runs right after the current one, in
 * the same event-loop turn, so nothing waits. A fan-out that finds nothing else queued does not
 * wait for the task: it flushes each socket as it writes it ({@link #fanOutStarting}).
 *
 * <p>Frames never reorder: every frame to a socket goes through the same channel in write order,
 * and a flush sends everything written before it.
 *
 * <p>Confined to its loop.
 */
final class PendingFlushes {
  private final List<WireWriter> dirty = new ArrayList<>();
  private final Runnable flushTask = this::flushAll;
  private EventExecutor loop;
  private boolean scheduled;
  private boolean immediate;

  /** Learns the loop from the first socket attached to it; every socket of a loop shares it. */
  void bind(EventExecutor eventLoop) {
    if (loop == null) {
      loop = eventLoop;
    }
  }

  /** Notes an unflushed write and queues the flush task if none is queued. */
  void written(WireWriter writer) {
    if (!writer.dirty) {
      writer.dirty = true;
      dirty.add(writer);
    }
    if (!scheduled) {
      scheduled = true;
      try {
        loop.execute(flushTask);
      } catch (RejectedExecutionException shuttingDown) {
        // The loop takes no more tasks: flush now, or these sockets would never flush again.
        flushAll();
      }
    }
  }

  /** Whether writes should flush at once instead of waiting for the flush task. */
  boolean immediate() {
    return immediate;
  }

  /**
   * Called before a fan-out writes to its members: when the loop has no other work queued (a lone
   * message), each member is flushed as soon as it is written, which gets the first members their
   * copy soonest; when more work is queued (fan-outs back to back), writes wait for the one flush.
   */
  void fanOutStarting() {
    immediate = !busy();
  }

  /** Called when the fan-out has written to every member; later writes wait for the task. */
  void fanOutDone() {
    immediate = false;
  }

  private boolean busy() {
    if (scheduled) {
      return true;
    }
    return loop instanceof SingleThreadEventExecutor single && single.pendingTasks() > 0;
  }

  private void flushAll() {
    scheduled = false;
    for (int i = 0; i < dirty.size(); i++) {
      WireWriter w = dirty.get(i);
      if (w.dirty) {
        w.flush();
      }
    }
    dirty.clear();
  }
}
