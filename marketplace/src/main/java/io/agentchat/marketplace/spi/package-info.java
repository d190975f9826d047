/**
 * The settlement SPI: how plug-ins such as reputation and currencies take part in proposal verbs
 * without the marketplace knowing them. A plug-in implements {@link
 * io.agentchat.marketplace.spi.Settlement} (the write side, called inside each verb's transaction)
 * and may declare a {@link io.agentchat.marketplace.spi.Schema} of its own; one of them may also
 * implement {@link io.agentchat.marketplace.spi.Standings} (the read side, ratings for search). The
 * server assembly wires them into the marketplace. Plug-in modules depend on this package only.
 */
package io.agentchat.marketplace.spi;
