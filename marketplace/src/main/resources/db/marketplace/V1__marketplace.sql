-- Marketplace schema: agents, skills registry, proposals and notices for offline agents.
-- Agent ids are bare (16 hex characters, no '@'); times are epoch milliseconds.

-- Trigram index for case-insensitive substring search of capabilities. pg_trgm is a trusted
-- extension (PostgreSQL 13+): a database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE agents (
    id          text PRIMARY KEY,
    pubkey      text NOT NULL,
    name        text,
    first_seen  bigint NOT NULL,
    last_seen   bigint NOT NULL
);

-- One row per agent: a registration replaces the previous one (REGISTER_SKILLS semantics).
CREATE TABLE skill_registrations (
    agent_id       text PRIMARY KEY,
    registered_at  bigint NOT NULL,
    sig            text NOT NULL,
    -- Registry insertion order: the stable tie-break of search results.
    seq            bigserial NOT NULL
);

CREATE TABLE skills (
    agent_id       text NOT NULL REFERENCES skill_registrations (agent_id) ON DELETE CASCADE,
    position       int NOT NULL,
    capability     text NOT NULL,
    rate           numeric NULL,
    currency       text NULL,
    description    text NULL,
    -- The skill object as registered, extra members included.
    -- json, not jsonb: members come back in the order the agent registered them.
    body           json NOT NULL,
    registered_at  bigint NOT NULL,
    reg_seq        bigint NOT NULL,
    PRIMARY KEY (agent_id, position)
);

CREATE INDEX skills_capability_trgm ON skills USING gin (lower(capability) gin_trgm_ops);
CREATE INDEX skills_search_order ON skills (registered_at DESC, reg_seq, position);

CREATE TABLE proposals (
    id                     text PRIMARY KEY,
    from_agent             text NOT NULL,
    to_agent               text NOT NULL,
    task                   text NOT NULL,
    amount                 numeric NULL,
    currency               text NULL,
    payment_code           text NULL,
    terms                  text NULL,
    expires_at             bigint NULL,
    status                 text NOT NULL
        CHECK (status IN ('pending', 'accepted', 'rejected', 'completed', 'disputed', 'expired')),
    created_at             bigint NOT NULL,
    updated_at             bigint NOT NULL,
    accepted_at            bigint NULL,
    sig                    text NOT NULL,
    proposer_stake         bigint NULL,
    acceptor_stake         bigint NULL,
    response_sig           text NULL,
    response_payment_code  text NULL,
    reject_reason          text NULL,
    completed_at           bigint NULL,
    completed_by           text NULL,
    completion_proof       text NULL,
    completion_sig         text NULL,
    disputed_at            bigint NULL,
    disputed_by            text NULL,
    dispute_reason         text NULL,
    dispute_sig            text NULL,
    -- sha256 hex of "from|signing string": identical signed proposals share it.
    signed_digest          text NOT NULL
);

-- A signed proposal can be open only once: replaying it while the first is open fails with 23505.
CREATE UNIQUE INDEX proposals_open_digest ON proposals (signed_digest)
    WHERE status IN ('pending', 'accepted');
CREATE INDEX proposals_to_status ON proposals (to_agent, status);
CREATE INDEX proposals_from_status ON proposals (from_agent, status);
CREATE INDEX proposals_pending_expiry ON proposals (expires_at) WHERE status = 'pending';

-- Frames an offline agent missed, delivered (and deleted) when it comes back.
CREATE TABLE notices (
    id          bigserial PRIMARY KEY,
    agent_id    text NOT NULL,
    -- json, not jsonb: a frame must come back with type and ts first, as it would be sent.
    frame       json NOT NULL,
    created_at  bigint NOT NULL
);

CREATE INDEX notices_agent ON notices (agent_id, id);
