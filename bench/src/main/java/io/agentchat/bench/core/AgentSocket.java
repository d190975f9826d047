package io.agentchat.bench.core;

import io.agentchat.client.LoginHandshake;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import java.time.Duration;

/**
 * One bench agent's raw WebSocket: it logs in through a {@link LoginHandshake} (IDENTIFY, and the
 * signed answer to a CHALLENGE), then hands every frame to its {@link Listener} as text. It speaks
 * raw JSON so that it can drive any AgentChat server, and it scans nothing after the login: the
 * scenario decides what a frame costs to read. Confined to the event loop of its {@link
 * ClientLoop}.
 */
public final class AgentSocket {
  /** What a scenario hears from its socket once logged in; called on the socket's loop. */
  public interface Listener {
    /** A frame arrived after WELCOME; {@code text} is the whole frame, not yet read. */
    void onFrame(AgentSocket from, String text);

    /** The server closed the socket after WELCOME (a close the bench asked for is not reported). */
    void onClosed(AgentSocket from, String why);
  }

  private final ClientLoop loop;
  private final LoginHandshake handshake;
  private Listener listener;
  private WebSocket ws;
  private Promise<String> login;
  private boolean closed;

  /** A socket that will log in with {@code handshake} on {@code loop}. */
  public AgentSocket(ClientLoop loop, LoginHandshake handshake) {
    this.loop = loop;
    this.handshake = handshake;
  }

  /** Who hears the frames after WELCOME; frames that arrive while there is none are dropped. */
  public void listener(Listener listener) {
    this.listener = listener;
  }

  /**
   * Opens the socket and logs in. Call on the socket's loop, once. A login that fails closes the
   * socket; an ERROR it receives is counted in the loop's stats, the server's close too.
   *
   * @return completes with the WELCOME frame's text; fails with a one-line reason on a connect
   *     error, an ERROR, a close or after {@code timeout}
   */
  public Future<String> login(Duration timeout) {
    Promise<String> pending = loop.promiseWithin(timeout, "login");
    login = pending;
    pending
        .future()
        .onFailure(
            e -> {
              // A socket that did not log in is of no further use, whatever the reason.
              if (login == pending) {
                login = null;
              }
              close();
            });
    loop.connect()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                failLogin("connect failed: " + LoadFailure.describe(ar.cause()));
                return;
              }
              WebSocket socket = ar.result();
              if (login != pending) {
                socket.close(); // the login timed out, or the bench closed it, meanwhile
                return;
              }
              ws = socket;
              loop.opened(this);
              socket.textMessageHandler(this::onText);
              socket.closeHandler(v -> onClose());
              socket.exceptionHandler(loop.stats()::socketError);
              socket.writeTextMessage(handshake.identifyText());
            });
    return pending.future();
  }

  /** True from the connect until either side closes. */
  public boolean isOpen() {
    return ws != null && !closed;
  }

  /**
   * Writes one frame.
   *
   * @return the write's future; failed when the socket is not open
   */
  public Future<Void> send(String text) {
    return isOpen() ? ws.writeTextMessage(text) : Future.failedFuture("socket not open");
  }

  /** Closes the socket from the bench's side; the close is not reported to the listener. */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    failLogin("the bench is closing");
    if (ws == null) {
      return Future.succeededFuture();
    }
    loop.closed(this);
    return ws.close().recover(e -> Future.succeededFuture());
  }

  private void onText(String text) {
    if (login != null) {
      onLoginFrame(text);
      return;
    }
    Listener l = listener;
    if (l != null) {
      l.onFrame(this, text);
    }
  }

  private void onLoginFrame(String text) {
    String type = FrameScan.type(text);
    if (type == null) {
      return;
    }
    switch (type) {
      case "CHALLENGE" -> answer(text);
      case "WELCOME" -> {
        Promise<String> done = login;
        login = null;
        done.tryComplete(text);
      }
      case "ERROR" -> {
        Refusal refusal = Refusal.of(text);
        loop.stats().error(refusal.code(), refusal.message());
        failLogin("login refused: " + refusal);
      }
      default -> {
        // Nothing else is expected before WELCOME.
      }
    }
  }

  private void answer(String challenge) {
    // Signing is CPU work: keep it off the event loop, which may be reading every delivery of a
    // fan-out while later logins are still answering their challenges.
    loop.vertx()
        .executeBlocking(() -> handshake.answerText(challenge), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                failLogin("answering the CHALLENGE failed: " + LoadFailure.describe(ar.cause()));
              } else if (login != null) {
                send(ar.result());
              }
            });
  }

  private void onClose() {
    if (closed) {
      return;
    }
    closed = true;
    loop.closed(this);
    Short status = ws.closeStatusCode();
    int code = status == null ? -1 : status;
    String reason = ws.closeReason() == null ? "" : ws.closeReason();
    loop.stats().closedByServer(code, reason);
    String why = "server closed the socket (" + code + (reason.isEmpty() ? "" : " " + reason) + ")";
    if (login != null) {
      failLogin(why);
    } else if (listener != null) {
      listener.onClosed(this, why);
    }
  }

  private void failLogin(String why) {
    if (login != null) {
      login.tryFail(new IllegalStateException(why));
    }
  }
}
