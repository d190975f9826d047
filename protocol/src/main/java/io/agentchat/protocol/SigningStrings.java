package io.agentchat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * The exact texts an agent signs (protocol facts §2.3). The reference server rebuilds each one from
 * the values it parsed out of the frame, with JavaScript semantics, so the methods taking {@link
 * JsonNode} reproduce that rebuild and the overloads taking Java values render them the way the
 * server will see them after parsing. The signature covers the UTF-8 bytes of the returned text.
 *
 * <p>Optional slots are "or-empty" ({@link JavaScriptText#orEmpty(JsonNode)}): absent, null, false,
 * 0 and "" all leave the slot empty, so two separators end up side by side.
 *
 * <p>Stateless and thread-safe.
 */
public final class SigningStrings {

  private static final String SEPARATOR = "|";

  private SigningStrings() {}

  /**
   * The login string signed in VERIFY_IDENTITY: {@code AGENTCHAT_AUTH|{nonce}|{challenge_id}|
   * {timestamp}}.
   *
   * @param nonce the nonce from the CHALLENGE frame
   * @param challengeId the challenge id from the CHALLENGE frame
   * @param timestamp the number sent in the same VERIFY_IDENTITY frame, rendered as JavaScript does
   * @return the text the logging-in key signs
   */
  public static String login(String nonce, String challengeId, double timestamp) {
    return join("AGENTCHAT_AUTH", nonce, challengeId, JavaScriptText.number(timestamp));
  }

  /**
   * The PROPOSAL string: {@code {to}|{task}|{amount}|{currency}|{payment_code}|{expires}|
   * {elo_stake}}, signed by the proposer. It has no prefix and does not cover {@code terms}.
   *
   * @param to the recipient including its {@code @}
   * @param task the task text as sent, before the server's redaction
   * @param amount the parsed {@code amount} member, or null/MissingNode when absent
   * @param currency the parsed {@code currency} member, or null/MissingNode when absent
   * @param paymentCode the parsed {@code payment_code} member, or null/MissingNode when absent
   * @param expires the parsed {@code expires} member (relative seconds as sent), or absent
   * @param eloStake the parsed {@code elo_stake} member, or null/MissingNode when absent
   * @return the text the proposer signs
   */
  public static String proposal(
      String to,
      String task,
      JsonNode amount,
      JsonNode currency,
      JsonNode paymentCode,
      JsonNode expires,
      JsonNode eloStake) {
    return join(
        to,
        task,
        JavaScriptText.orEmpty(amount),
        JavaScriptText.orEmpty(currency),
        JavaScriptText.orEmpty(paymentCode),
        JavaScriptText.orEmpty(expires),
        JavaScriptText.orEmpty(eloStake));
  }

  /**
   * The PROPOSAL string for a client holding Java values; it equals what the server rebuilds once
   * the values have been written as JSON numbers and strings and parsed back. The amount is
   * rendered through its double value, as the server holds it, so {@code 10.0} signs as {@code 10}.
   *
   * <p>Passing a literal {@code null} for every optional slot is ambiguous with the {@link
   * JsonNode} overload; use typed variables or casts.
   *
   * @param to the recipient including its {@code @}
   * @param task the task text
   * @param amount the amount, or null when omitted
   * @param currency the currency, or null when omitted
   * @param paymentCode the payment code, or null when omitted
   * @param expires relative expiry in seconds, or null when omitted
   * @param eloStake the proposer's ELO stake, or null when omitted
   * @return the text the proposer signs
   */
  public static String proposal(
      String to,
      String task,
      BigDecimal amount,
      String currency,
      String paymentCode,
      Long expires,
      Long eloStake) {
    return join(
        to,
        task,
        orEmpty(amount),
        orEmpty(currency),
        orEmpty(paymentCode),
        orEmpty(expires),
        orEmpty(eloStake));
  }

  /**
   * The ACCEPT string: {@code ACCEPT|{proposal_id}|{payment_code}|{elo_stake}}, signed by the
   * recipient. A stake of 0 leaves its slot empty.
   *
   * @param proposalId the proposal being accepted
   * @param paymentCode the parsed {@code payment_code} member, or null/MissingNode when absent
   * @param eloStake the parsed {@code elo_stake} member, or null/MissingNode when absent
   * @return the text the recipient signs
   */
  public static String accept(String proposalId, JsonNode paymentCode, JsonNode eloStake) {
    return join(
        "ACCEPT",
        proposalId,
        JavaScriptText.orEmpty(paymentCode),
        JavaScriptText.orEmpty(eloStake));
  }

  /**
   * The ACCEPT string for a client holding Java values.
   *
   * @param proposalId the proposal being accepted
   * @param paymentCode the payment code, or null when omitted
   * @param eloStake the acceptor's ELO stake, or null when omitted
   * @return the text the recipient signs
   */
  public static String accept(String proposalId, String paymentCode, Long eloStake) {
    return join("ACCEPT", proposalId, orEmpty(paymentCode), orEmpty(eloStake));
  }

  /**
   * The REJECT string: {@code REJECT|{proposal_id}|{reason}}, signed by the recipient.
   *
   * @param proposalId the proposal being rejected
   * @param reason the parsed {@code reason} member, or null/MissingNode when absent
   * @return the text the recipient signs
   */
  public static String reject(String proposalId, JsonNode reason) {
    return join("REJECT", proposalId, JavaScriptText.orEmpty(reason));
  }

  /**
   * The REJECT string for a validated string reason.
   *
   * @param proposalId the proposal being rejected
   * @param reason the reason, or null when omitted
   * @return the text the recipient signs
   */
  public static String reject(String proposalId, String reason) {
    return join("REJECT", proposalId, orEmpty(reason));
  }

  /**
   * The COMPLETE string: {@code COMPLETE|{proposal_id}|{proof}}, signed by whichever party
   * completes.
   *
   * @param proposalId the proposal being completed
   * @param proof the parsed {@code proof} member, or null/MissingNode when absent
   * @return the text the completing party signs
   */
  public static String complete(String proposalId, JsonNode proof) {
    return join("COMPLETE", proposalId, JavaScriptText.orEmpty(proof));
  }

  /**
   * The COMPLETE string for a validated string proof.
   *
   * @param proposalId the proposal being completed
   * @param proof the proof, or null when omitted
   * @return the text the completing party signs
   */
  public static String complete(String proposalId, String proof) {
    return join("COMPLETE", proposalId, orEmpty(proof));
  }

  /**
   * The DISPUTE string: {@code DISPUTE|{proposal_id}|{reason}}, signed by whichever party disputes.
   * The reason is required, so it is written as given.
   *
   * @param proposalId the proposal being disputed
   * @param reason the dispute reason
   * @return the text the disputing party signs
   */
  public static String dispute(String proposalId, String reason) {
    return join("DISPUTE", proposalId, reason);
  }

  /**
   * The REGISTER_SKILLS string: {@code REGISTER_SKILLS|{hex}} where hex is the SHA-256 of the
   * {@link CanonicalJson canonical JSON} of the skills array as the server parsed it.
   *
   * @param skills the parsed {@code skills} array
   * @return the text the registrant signs
   */
  public static String registerSkills(JsonNode skills) {
    return "REGISTER_SKILLS" + SEPARATOR + CanonicalJson.sha256Hex(CanonicalJson.stringify(skills));
  }

  private static String join(String... fields) {
    return String.join(SEPARATOR, fields);
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  private static String orEmpty(BigDecimal value) {
    // The server only ever sees the double a JSON number parses to.
    return value == null ? "" : orEmpty(value.doubleValue());
  }

  private static String orEmpty(Long value) {
    return value == null ? "" : orEmpty(value.doubleValue());
  }

  private static String orEmpty(double value) {
    return value == 0 ? "" : JavaScriptText.number(value);
  }
}
