package io.agentchat.wallet;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server's currency settings, as {@code serve} flags or a config file give them: string values
 * by key ({@code test.faucet}, {@code evm.rpc}, {@code evm.chain-id}, {@code evm.tokens}, …), and
 * the Vert.x instance adapters run their lookups on. Keys are the adapters' business; SPEC.md and
 * {@code agentchat serve --help} list the built-in ones.
 */
public final class CurrencySettings {
  private final Vertx vertx;
  private final Map<String, String> values;

  /**
   * @param vertx the server's Vert.x instance
   * @param values settings by key; blank values count as absent
   */
  public CurrencySettings(Vertx vertx, Map<String, String> values) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    Map<String, String> kept = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (v != null && !v.isBlank()) {
            kept.put(k, v.trim());
          }
        });
    this.values = Map.copyOf(kept);
  }

  /** The Vert.x instance adapters run their lookups on. */
  public Vertx vertx() {
    return vertx;
  }

  /** The value of {@code key}, if set. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** The comma-separated values of {@code key}, trimmed; empty when unset. */
  public List<String> list(String key) {
    return get(key)
        .map(v -> java.util.Arrays.stream(v.split(",")).map(String::trim))
        .map(s -> s.filter(x -> !x.isEmpty()).toList())
        .orElse(List.of());
  }

  /**
   * The whole number value of {@code key}, or {@code otherwise} when unset.
   *
   * @throws IllegalArgumentException when it is not a whole number
   */
  public long number(String key, long otherwise) {
    String v = values.get(key);
    if (v == null) {
      return otherwise;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, not \"" + v + "\"");
    }
  }

  /** Every key that is set, for reports of unknown keys. */
  public java.util.Set<String> keys() {
    return values.keySet();
  }
}
