-- A PROPOSAL notice names its proposal: when the proposal expires before its recipient ever logs
-- in, the notice goes with it (the expiry sweep deletes it in the same transaction), so notices
-- for agents that never come stay bounded by the proposals still pending.
ALTER TABLE notices ADD COLUMN proposal_id text NULL;

CREATE INDEX notices_proposal ON notices (proposal_id) WHERE proposal_id IS NOT NULL;
