/**
 * Agent identity: Ed25519 keys in the reference's PEM forms, signatures, agent ids and the identity
 * file an agent keeps on disk. Implementation details live in {@code impl} and are not API.
 */
package io.agentchat.identity;
