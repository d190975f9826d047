package io.agentchat.marketplace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many proposals the marketplace holds, as {@code /health} shows them (the reference's {@code
 * proposals} object).
 *
 * @param total all proposals
 * @param byStatus count per wire status ({@code pending}, {@code accepted}, …), every status
 *     listed, in status order
 * @param agents distinct agents that proposed or were proposed to
 */
public record ProposalCensus(long total, Map<String, Long> byStatus, long agents) {
  public ProposalCensus {
    byStatus = Collections.unmodifiableMap(new LinkedHashMap<>(byStatus));
  }
}
