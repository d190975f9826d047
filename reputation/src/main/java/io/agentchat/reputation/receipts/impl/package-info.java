/** How receipts are canonicalized, read and checked; not API. */
package io.agentchat.reputation.receipts.impl;
