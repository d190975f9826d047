-- The test plug-in's own table. Its V1 sits beside the marketplace's V1 because each module keeps
-- its own Flyway history.
CREATE TABLE test_ledger (
    proposal_id  text NOT NULL,
    event        text NOT NULL,
    agent        text NOT NULL,
    PRIMARY KEY (proposal_id, event, agent)
);
