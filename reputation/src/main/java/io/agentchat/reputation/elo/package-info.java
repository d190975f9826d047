/**
 * The ELO engine of reputation as pure functions over immutable values: no Vert.x, no database, no
 * I/O. {@link io.agentchat.reputation.elo.Elo#settle} turns one {@link
 * io.agentchat.reputation.elo.Deal} and the parties' current standings into an {@link
 * io.agentchat.reputation.elo.Outcome} (the new standings and the frame's {@code rating_changes});
 * {@link io.agentchat.reputation.elo.RatingBook} replays a sequence of deals in memory.
 *
 * <p>The numbers are the reference's (protocol facts §12), with one deliberate difference: a
 * completion inside the pair cooldown still settles, with a zero change, returned stakes and a
 * {@code _cooldown} member, where the reference refuses the update and leaves stakes locked (§18).
 * Agent ids are bare everywhere in this API; only the JSON keys carry the {@code @}.
 */
package io.agentchat.reputation.elo;
