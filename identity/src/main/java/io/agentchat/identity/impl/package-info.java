/** Encodings and file handling behind the identity API; not for use outside this module. */
package io.agentchat.identity.impl;
