-- Reputation: ratings, the pair history the completion formula needs, ELO stakes held in escrow,
-- and the receipts every rating change leaves. A rating change, the escrow's settlement and the
-- receipt are written in the transaction of the verb that causes them.

-- One row per agent that ever took part in a settled deal or staked ELO. Verbs lock both parties'
-- rows (in agent id order, so deals in opposite directions cannot deadlock) before reading or
-- changing anything below that concerns them.
CREATE TABLE standings (
  agent_id     text PRIMARY KEY,
  rating       bigint NOT NULL DEFAULT 1200 CHECK (rating >= 100),
  transactions bigint NOT NULL DEFAULT 0 CHECK (transactions >= 0),
  -- the sum of the agent's stakes in active escrows
  staked       bigint NOT NULL DEFAULT 0 CHECK (staked >= 0),
  updated_at   bigint NOT NULL,
  -- the agent's receipt chain on this server: its length and the hash of its latest receipt
  receipts     bigint NOT NULL DEFAULT 0,
  head         text NULL
);

-- Per-capability ratings: a deal that names a capability moves these by the same change.
CREATE TABLE capability_standings (
  agent_id     text NOT NULL,
  capability   text NOT NULL,
  rating       bigint NOT NULL CHECK (rating >= 100),
  transactions bigint NOT NULL CHECK (transactions >= 0),
  updated_at   bigint NOT NULL,
  PRIMARY KEY (agent_id, capability)
);

-- Completions per unordered pair ("a|b", ids sorted): the halving divisor and the cooldown. The
-- reference kept these in memory and lost them on restart.
CREATE TABLE pairs (
  pair              text PRIMARY KEY,
  completions       bigint NOT NULL,
  last_completed_at bigint NOT NULL
);

-- ELO staked on a deal, locked from ACCEPT until the deal settles or lapses.
CREATE TABLE escrows (
  proposal_id       text PRIMARY KEY,
  proposer          text NOT NULL,
  proposer_stake    bigint NOT NULL CHECK (proposer_stake >= 0),
  acceptor          text NOT NULL,
  acceptor_stake    bigint NOT NULL CHECK (acceptor_stake >= 0),
  status            text NOT NULL
                    CHECK (status IN ('active', 'returned', 'transferred', 'burned', 'released')),
  created_at        bigint NOT NULL,
  expires_at        bigint NULL,
  settled_at        bigint NULL,
  settlement_reason text NULL
);

-- Every receipt this server counts or keeps: the ones it issued, and imported ones (counted when
-- a trusted server issued them, kept as history otherwise). The body is the receipt's exact text.
-- seq is the order receipts were counted here, which is the order ratings replay them in.
CREATE SEQUENCE receipt_seq;
CREATE TABLE receipts (
  seq         bigint PRIMARY KEY,
  server      text NOT NULL,
  proposal_id text NOT NULL,
  type        text NOT NULL CHECK (type IN ('COMPLETE', 'DISPUTE')),
  from_agent  text NOT NULL,
  to_agent    text NOT NULL,
  settled_at  bigint NOT NULL,
  hash        text NOT NULL,
  body        text NOT NULL,
  issued_here boolean NOT NULL,
  counted     boolean NOT NULL,
  imported_at bigint NULL,
  UNIQUE (server, proposal_id)
);
CREATE INDEX receipts_from ON receipts (from_agent, seq);
CREATE INDEX receipts_to ON receipts (to_agent, seq);
