package io.agentchat.relay.impl;

import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.protocol.ServerFrame;

/**
 * VERIFY_REQUEST and VERIFY_RESPONSE: one agent asks another to prove, by signing a nonce, that it
 * holds the key behind its id. Requests expire after a timeout; each requester may have a bounded
 * number in flight.
 */
final class PeerVerification {
  static final int MAX_PENDING_PER_REQUESTER = 16;
  private final RelayState state;

  PeerVerification(RelayState state) {
    this.state = state;
  }

  /** A request waiting for the target's signature. */
  record Pending(
      String requestId, AgentSession requester, AgentSession target, String nonce, long timerId) {}

  void request(AgentConnection c, ClientFrame.VerifyRequest f) {
    AgentSession s = c.requireSession();
    AgentSession target = state.directory.online(f.target());
    if (!target.isPersistent()) {
      throw new ProtocolException(
          ErrorCode.NO_PUBKEY, "Agent " + f.target() + " has no persistent identity");
    }
    long inFlight = state.verifications.values().stream().filter(p -> p.requester() == s).count();
    if (inFlight >= MAX_PENDING_PER_REQUESTER) {
      throw new ProtocolException(
          ErrorCode.RATE_LIMITED,
          "Too many verification requests in flight (max " + MAX_PENDING_PER_REQUESTER + ")");
    }
    long now = state.now();
    String requestId = Ids.verifyRequestId(now);
    long timer =
        state.vertx.setTimer(
            state.options.verifyRequestTimeout().toMillis(), t -> timeOut(requestId));
    state.verifications.put(requestId, new Pending(requestId, s, target, f.nonce(), timer));
    state.sendToSession(
        target,
        OutboundFrame.of(
            new ServerFrame.VerifyRequest(now, requestId, s.wireId, f.nonce(), null, null)));
    c.send(new ServerFrame.VerifyRequest(now, requestId, null, null, target.wireId, "pending"));
  }

  private void timeOut(String requestId) {
    Pending p = state.verifications.remove(requestId);
    if (p != null) {
      state.sendToSession(
          p.requester(),
          OutboundFrame.of(
              new ServerFrame.VerifyFailed(
                  state.now(), requestId, p.target().wireId, "Verification timed out", null)));
    }
  }

  void respond(AgentConnection c, ClientFrame.VerifyResponse f) {
    AgentSession s = c.requireSession();
    if (!s.isPersistent()) {
      throw new ProtocolException(
          ErrorCode.SIGNATURE_REQUIRED, "Verification responses require persistent identity");
    }
    Pending p = state.verifications.get(f.requestId());
    if (p == null) {
      throw new ProtocolException(
          ErrorCode.VERIFICATION_EXPIRED, "Verification request not found or expired");
    }
    if (p.target() != s || !p.nonce().equals(f.nonce())) {
      throw ProtocolException.invalid("Verification response does not match the request");
    }
    if (!state.verifications.remove(f.requestId(), p)) {
      throw new ProtocolException(
          ErrorCode.VERIFICATION_EXPIRED, "Verification request not found or expired");
    }
    state.vertx.cancelTimer(p.timerId());
    long now = state.now();
    boolean ok = s.key.verify(p.nonce(), f.sig());
    if (ok) {
      state.sendToSession(
          p.requester(),
          OutboundFrame.of(
              new ServerFrame.VerifySuccess(now, p.requestId(), s.wireId, s.key.pem(), null)));
      c.send(new ServerFrame.VerifySuccess(now, p.requestId(), null, null, true));
    } else {
      state.sendToSession(
          p.requester(),
          OutboundFrame.of(
              new ServerFrame.VerifyFailed(
                  now, p.requestId(), s.wireId, "Signature verification failed", null)));
      c.send(new ServerFrame.VerifyFailed(now, p.requestId(), null, null, false));
    }
  }

  /** Drops the requests of a session that went away. */
  static void forgetRequester(RelayState state, AgentSession requester) {
    if (state.verifications.isEmpty()) {
      return;
    }
    state
        .verifications
        .values()
        .removeIf(
            p -> {
              if (p.requester() == requester) {
                state.vertx.cancelTimer(p.timerId());
                return true;
              }
              return false;
            });
  }
}
