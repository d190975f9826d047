package io.agentchat.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * WebSocket-level heartbeat: a peer that stops answering pings is closed; one that answers stays.
 */
class HeartbeatTest {

  @Test
  void aPeerThatNeverAnswersPingsIsClosedWithGoingAway() throws Exception {
    try (TestRelay relay =
            TestRelay.start(new RelayOptions().heartbeatInterval(Duration.ofMillis(200)));
        Socket socket = new Socket("127.0.0.1", relay.port());
        WireClient answering = relay.ephemeral("alive")) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + "Sec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      // Read until the server's close frame (opcode 0x8, code 1001) arrives: pings come first.
      int closeAt = -1;
      byte[] buffer = new byte[256];
      while (closeAt < 0) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        seen.write(buffer, 0, n);
        closeAt = indexOfCloseFrame(seen.toByteArray());
      }
      byte[] bytes = seen.toByteArray();
      assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101"));
      assertTrue(closeAt > 0, "the server sent a close frame");
      int code = ((bytes[closeAt + 2] & 0xff) << 8) | (bytes[closeAt + 3] & 0xff);
      assertEquals(1001, code);
      // A client that answers pings (Vert.x does) is still connected after the same ticks.
      answering.expectNothingMore();
    }
  }

  /** Position of an unmasked close frame with a status code (0x88, length ≥ 2), or -1. */
  private static int indexOfCloseFrame(byte[] b) {
    int headerEnd = new String(b, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
    if (headerEnd < 0) {
      return -1;
    }
    int i = headerEnd + 4;
    while (i + 1 < b.length) {
      int opcode = b[i] & 0x0f;
      int length = b[i + 1] & 0x7f;
      if (opcode == 0x8 && length >= 2) {
        return i + 3 < b.length ? i : -1;
      }
      i += 2 + length;
    }
    return -1;
  }
}
