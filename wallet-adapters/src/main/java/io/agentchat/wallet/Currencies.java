package io.agentchat.wallet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentchat.marketplace.spi.Settlement;
import io.agentchat.wallet.impl.CurrencyRegistry;
import io.agentchat.wallet.impl.CurrencySettlement;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The currencies a server accepts: the adapters found on the classpath, and the settlement plug-in
 * through which they check and settle the deals that name them. The server assembly creates one,
 * lists {@link #settlement()} among the marketplace's plug-ins (before the reputation plug-in, so
 * that a receipt carries the payment), and serves {@link #describe()} and {@link #balances}.
 */
public final class Currencies {
  private final CurrencyRegistry registry;
  private final CurrencySettlement settlement;

  private Currencies(List<CurrencyAdapter> adapters) {
    this.registry = new CurrencyRegistry(adapters);
    this.settlement = new CurrencySettlement(registry);
  }

  /**
   * Loads every {@link CurrencyAdapterProvider} on the classpath and keeps the adapters the
   * settings ask for.
   *
   * @throws IllegalArgumentException for settings an adapter cannot use, or two adapters serving
   *     one code
   */
  public static Currencies load(CurrencySettings settings) {
    List<CurrencyAdapter> adapters = new ArrayList<>();
    for (CurrencyAdapterProvider provider :
        ServiceLoader.load(CurrencyAdapterProvider.class, Currencies.class.getClassLoader())) {
      provider.create(settings).ifPresent(adapters::add);
    }
    return new Currencies(adapters);
  }

  /** The given adapters, for tests and embedding. */
  public static Currencies of(List<CurrencyAdapter> adapters) {
    return new Currencies(adapters);
  }

  /** The plug-in to list among the marketplace's settlements. */
  public Settlement settlement() {
    return settlement;
  }

  /** The adapters, in the order they were loaded. */
  public List<CurrencyAdapter> adapters() {
    return registry.adapters();
  }

  /** Every currency code served, upper-case and sorted. */
  public List<String> codes() {
    return registry.codes();
  }

  /** What {@code GET /v1/currencies} lists: each adapter's {@link CurrencyAdapter#describe()}. */
  public ArrayNode describe() {
    ArrayNode all = JsonNodeFactory.instance.arrayNode();
    registry.adapters().forEach(a -> all.add(a.describe()));
    return all;
  }

  /**
   * An agent's ledger balances, every ledger currency; call once the marketplace has started.
   *
   * @param agentId a bare agent id
   */
  public Future<List<Balance>> balances(String agentId) {
    List<Future<List<Balance>>> each = new ArrayList<>();
    registry.adapters().forEach(a -> each.add(a.balances(agentId)));
    return Future.all(each)
        .map(
            done -> {
              List<Balance> all = new ArrayList<>();
              each.forEach(f -> all.addAll(f.result()));
              return all;
            });
  }
}
