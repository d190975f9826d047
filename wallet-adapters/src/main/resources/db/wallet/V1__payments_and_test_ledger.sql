-- Payments the server verified on a chain: one transaction pays one deal, ever.
CREATE TABLE wallet_payments (
    payment_key  text   PRIMARY KEY,          -- '<chain_id>:<tx>' as the adapter's evidence names it
    proposal_id  text   NOT NULL UNIQUE,
    currency     text   NOT NULL,
    evidence     jsonb  NOT NULL,
    claimed_at   bigint NOT NULL
);

-- The TEST ledger. An account holds what it owns (balance), of which `held` is locked for accepted
-- deals it pays for; neither may ever go negative, nor the held part exceed the balance.
CREATE TABLE wallet_test_accounts (
    agent_id   text           PRIMARY KEY,
    balance    numeric(38, 8) NOT NULL CHECK (balance >= 0),
    held       numeric(38, 8) NOT NULL DEFAULT 0 CHECK (held >= 0),
    opened_at  bigint         NOT NULL,
    CHECK (held <= balance)
);

-- What an ACCEPT held, until the deal completes (paid), or ends unpaid (given back).
CREATE TABLE wallet_test_holds (
    proposal_id  text           PRIMARY KEY,
    payer        text           NOT NULL REFERENCES wallet_test_accounts (agent_id),
    amount       numeric(38, 8) NOT NULL CHECK (amount > 0),
    held_at      bigint         NOT NULL
);

-- Every payment the ledger made: one per completed deal.
CREATE TABLE wallet_test_transfers (
    id           bigserial      PRIMARY KEY,
    proposal_id  text           NOT NULL UNIQUE,
    payer        text           NOT NULL,
    payee        text           NOT NULL,
    amount       numeric(38, 8) NOT NULL CHECK (amount > 0),
    at           bigint         NOT NULL
);
