package io.agentchat.wallet.evm;

import static io.agentchat.wallet.CurrencyAdapter.notVerified;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.protocol.ProtocolException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The rules a mined transaction must meet to pay a deal, applied to what the chain returned. It
 * knows no RPC: {@link EvmAdapter} fetches, this decides.
 *
 * @param chainId the chain the transaction was read from
 * @param currency what the deal is paid in
 * @param payee who must receive it, in lower case
 * @param amount the deal's amount in the currency's units
 * @param required the deal's amount in base units: the least the transaction must pay
 * @param confirmations how many confirmations the payment needs
 */
record PaymentCheck(
    long chainId,
    EvmCurrency currency,
    String payee,
    BigDecimal amount,
    BigInteger required,
    long confirmations) {

  /** topic0 of ERC-20's {@code Transfer(address indexed from, address indexed to, uint256)}. */
  static final String TRANSFER_TOPIC = Hash.sha3String("Transfer(address,address,uint256)");

  /**
   * Applies the rules.
   *
   * @param hash the transaction hash, lower case
   * @param tx the transaction
   * @param receipt its receipt
   * @param latestBlock the chain's newest block number
   * @param now the time of the check, epoch ms
   * @return the evidence of the payment
   * @throws ProtocolException PAYMENT_NOT_VERIFIED with the first rule it breaks
   */
  ObjectNode evidence(
      String hash, Transaction tx, TransactionReceipt receipt, BigInteger latestBlock, long now) {
    if (!receipt.isStatusOK()) {
      throw notVerified("transaction %s reverted: it paid nothing".formatted(hash));
    }
    BigInteger paid = currency.isNative() ? nativePayment(hash, tx) : tokenPayment(hash, receipt);
    if (paid.compareTo(required) < 0) {
      throw notVerified(
          "transaction %s pays %s %s, less than the %s %s agreed"
              .formatted(
                  hash, units(paid), currency.code(), BaseUnits.plain(amount), currency.code()));
    }
    BigInteger block = receipt.getBlockNumber();
    long confirmed =
        latestBlock.subtract(block).add(BigInteger.ONE).max(BigInteger.ZERO).longValue();
    if (confirmed < confirmations) {
      throw notVerified(
          "transaction %s is not yet confirmed: %d of %d confirmations; try again in a few blocks"
              .formatted(hash, confirmed, confirmations));
    }
    ObjectNode evidence =
        JsonNodeFactory.instance
            .objectNode()
            .put("currency", currency.code())
            .put("amount", BaseUnits.plain(amount))
            .put("paid", units(paid))
            .put("tx", hash)
            .put("chain_id", chainId)
            .put("block", block.longValueExact())
            .put("confirmations", confirmed)
            .put("payee", EvmAddress.checksummed(payee))
            .put("payer", EvmAddress.checksummed(tx.getFrom()))
            // So that anyone can re-check it from the receipt alone (units of the amount).
            .put("decimals", currency.decimals());
    if (!currency.isNative()) {
      evidence.put("token", EvmAddress.checksummed(currency.contract()));
    }
    return evidence.put("verified_at", now);
  }

  /** What a plain transfer of the native coin pays the payee. */
  private BigInteger nativePayment(String hash, Transaction tx) {
    if (tx.getTo() == null) {
      throw notVerified("transaction %s creates a contract; it pays no one".formatted(hash));
    }
    if (!EvmAddress.lower(tx.getTo()).equals(payee)) {
      throw notVerified(
          "transaction %s pays %s, not the payee %s"
              .formatted(hash, EvmAddress.checksummed(tx.getTo()), EvmAddress.checksummed(payee)));
    }
    return tx.getValue();
  }

  /**
   * What the configured token's Transfer events in the receipt pay the payee, summed: one
   * transaction may pay in several transfers (a batch or a router).
   */
  private BigInteger tokenPayment(String hash, TransactionReceipt receipt) {
    BigInteger paid = BigInteger.ZERO;
    boolean tokenMoved = false;
    boolean payeePaid = false;
    Set<String> otherContracts = new LinkedHashSet<>();
    Set<String> otherRecipients = new LinkedHashSet<>();
    for (Log log : receipt.getLogs()) {
      List<String> topics = log.getTopics();
      // Three topics and a 32-byte value: an ERC-20 Transfer. ERC-721's has the token id as a
      // fourth topic and moves no amount.
      if (log.isRemoved()
          || topics == null
          || topics.size() != 3
          || !TRANSFER_TOPIC.equalsIgnoreCase(topics.get(0))
          || Numeric.cleanHexPrefix(topics.get(2)).length() != 64
          || log.getData() == null
          || Numeric.cleanHexPrefix(log.getData()).length() != 64) {
        continue;
      }
      String contract = EvmAddress.lower(log.getAddress());
      if (!contract.equals(currency.contract())) {
        otherContracts.add(contract);
        continue;
      }
      tokenMoved = true;
      String to = topicAddress(topics.get(2));
      if (to.equals(payee)) {
        payeePaid = true;
        paid = paid.add(Numeric.toBigInt(log.getData()));
      } else {
        otherRecipients.add(to);
      }
    }
    String token =
        "%s (%s)".formatted(currency.code(), EvmAddress.checksummed(currency.contract()));
    if (!tokenMoved && !otherContracts.isEmpty()) {
      throw notVerified(
          "wrong token: transaction %s moves tokens of contract %s, not %s"
              .formatted(hash, EvmAddress.checksummed(otherContracts.iterator().next()), token));
    }
    if (!tokenMoved) {
      throw notVerified("transaction %s carries no %s transfer".formatted(hash, currency.code()));
    }
    if (!payeePaid) {
      throw notVerified(
          "transaction %s pays %s to %s, not the payee %s"
              .formatted(
                  hash,
                  currency.code(),
                  EvmAddress.checksummed(otherRecipients.iterator().next()),
                  EvmAddress.checksummed(payee)));
    }
    return paid;
  }

  /** An indexed address topic: 32 bytes, the address in the last 20. */
  private static String topicAddress(String topic) {
    String hex = Numeric.cleanHexPrefix(topic);
    return EvmAddress.lower("0x" + hex.substring(hex.length() - 40));
  }

  private String units(BigInteger baseUnits) {
    return BaseUnits.plain(BaseUnits.amount(baseUnits, currency.decimals()));
  }
}
