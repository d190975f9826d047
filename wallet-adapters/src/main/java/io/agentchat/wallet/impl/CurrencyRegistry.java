package io.agentchat.wallet.impl;

import io.agentchat.wallet.CurrencyAdapter;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The adapters a server runs, by the codes they serve. Codes match whatever their case: a proposal
 * in {@code usdc} is served by the adapter of {@code USDC}, and keeps its own spelling in its
 * signed terms.
 */
public final class CurrencyRegistry {
  private final List<CurrencyAdapter> adapters;
  private final Map<String, CurrencyAdapter> byCode = new TreeMap<>();
  private volatile Pool pool;

  /**
   * @throws IllegalArgumentException when two adapters serve the same code
   */
  public CurrencyRegistry(List<CurrencyAdapter> adapters) {
    this.adapters = List.copyOf(adapters);
    for (CurrencyAdapter a : this.adapters) {
      for (String code : a.codes()) {
        CurrencyAdapter before = byCode.putIfAbsent(code.toUpperCase(Locale.ROOT), a);
        if (before != null) {
          throw new IllegalArgumentException(
              "currency " + code + " is served by both " + before.name() + " and " + a.name());
        }
      }
    }
  }

  /** Every adapter, in the order they were loaded. */
  public List<CurrencyAdapter> adapters() {
    return adapters;
  }

  /** The adapter serving {@code code}, whatever its case. */
  public Optional<CurrencyAdapter> find(String code) {
    return Optional.ofNullable(byCode.get(code.toUpperCase(Locale.ROOT)));
  }

  /** Every code served, upper-case, sorted. */
  public List<String> codes() {
    return new ArrayList<>(byCode.keySet());
  }

  /** Why a proposal in {@code code} is refused: no adapter serves it. */
  String notServed(String code) {
    return "no currency adapter on this server serves \""
        + code
        + "\"; it serves "
        + String.join(", ", codes())
        + " (or leave currency out)";
  }

  /** The shared database, once the marketplace started the plug-in. */
  Pool pool() {
    return pool;
  }

  void pool(Pool shared) {
    this.pool = shared;
  }
}
