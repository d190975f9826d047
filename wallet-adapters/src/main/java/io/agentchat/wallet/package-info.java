/**
 * Currencies: the adapters that check the amounts, payment codes and payments a proposal names, and
 * the settlement plug-in through which they take part in the marketplace's verbs.
 *
 * <p>{@link io.agentchat.wallet.CurrencyAdapter} is the SPI a currency implements; a third party
 * adds one by putting a jar with a {@link io.agentchat.wallet.CurrencyAdapterProvider} (listed in
 * {@code META-INF/services}) on the server's classpath. {@link io.agentchat.wallet.Currencies}
 * loads them and hands the server assembly its settlement plug-in. The marketplace knows no
 * adapter.
 */
package io.agentchat.wallet;
