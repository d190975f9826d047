package io.agentchat.reputation.receipts.impl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The proposal ids already seen in a file, kept as 64-bit fingerprints with the line each was seen
 * on: 16 bytes per receipt, 32 to 64 with the table's slack, instead of a set of strings (well over
 * 100 bytes each), so a verifier's memory stays small however long the chain. Two different ids
 * share a fingerprint with probability about n²/2⁶⁵ (below 10⁻⁹ for a million receipts). Not
 * thread-safe.
 */
public final class FingerprintSet {
  private static final long EMPTY = 0L;
  private static final int INITIAL_SLOTS = 1 << 10;

  private long[] fingerprints = new long[INITIAL_SLOTS];
  private long[] lines = new long[INITIAL_SLOTS];
  private int size;

  /**
   * Records {@code id} as seen on {@code line}.
   *
   * @return the line it was seen on before, or −1 when it is new
   */
  public long add(String id, long line) {
    long fingerprint = fingerprint(id);
    int mask = fingerprints.length - 1;
    int slot = (int) mix(fingerprint) & mask;
    while (fingerprints[slot] != EMPTY) {
      if (fingerprints[slot] == fingerprint) {
        return lines[slot];
      }
      slot = (slot + 1) & mask;
    }
    fingerprints[slot] = fingerprint;
    lines[slot] = line;
    if (++size * 2 > fingerprints.length) {
      grow();
    }
    return -1;
  }

  private void grow() {
    long[] oldFingerprints = fingerprints;
    long[] oldLines = lines;
    fingerprints = new long[oldFingerprints.length * 2];
    lines = new long[oldLines.length * 2];
    int mask = fingerprints.length - 1;
    for (int i = 0; i < oldFingerprints.length; i++) {
      if (oldFingerprints[i] != EMPTY) {
        int slot = (int) mix(oldFingerprints[i]) & mask;
        while (fingerprints[slot] != EMPTY) {
          slot = (slot + 1) & mask;
        }
        fingerprints[slot] = oldFingerprints[i];
        lines[slot] = oldLines[i];
      }
    }
  }

  private static long fingerprint(String id) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      long value = 0;
      for (int i = 0; i < Long.BYTES; i++) {
        value = (value << 8) | (digest[i] & 0xff);
      }
      // 0 marks an empty slot.
      return value == EMPTY ? 1 : value;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long mix(long fingerprint) {
    return fingerprint ^ (fingerprint >>> 32);
  }
}
