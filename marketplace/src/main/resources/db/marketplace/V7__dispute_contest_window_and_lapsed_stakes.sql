-- A dispute no longer settles the moment it is filed: the other party has a contest window
-- (serve --dispute-window) in which its own DISPUTE makes it a mutual fault; otherwise one sweep
-- settles it as unilateral when the window closes. These columns record the window, the contest
-- and the settlement, so a restart in the middle of a window loses nothing.
ALTER TABLE proposals ADD COLUMN dispute_settles_at bigint NULL;
ALTER TABLE proposals ADD COLUMN dispute_settled_at bigint NULL;
ALTER TABLE proposals ADD COLUMN dispute_settlement text NULL
  CHECK (dispute_settlement IN ('unilateral', 'mutual'));
ALTER TABLE proposals ADD COLUMN contested_by text NULL;
ALTER TABLE proposals ADD COLUMN contested_at bigint NULL;
ALTER TABLE proposals ADD COLUMN contest_reason text NULL;
ALTER TABLE proposals ADD COLUMN contest_sig text NULL;
-- When an accepted proposal's expiry passed unfinished and the plug-ins released what they held
-- for it (ELO stakes); the deal itself goes on.
ALTER TABLE proposals ADD COLUMN lapsed_at bigint NULL;

-- Disputes filed before this migration were settled on the spot, as the reference does.
UPDATE proposals
   SET dispute_settles_at = disputed_at, dispute_settled_at = disputed_at,
       dispute_settlement = 'unilateral'
 WHERE status = 'disputed';

-- The sweeps' look-ups: disputes whose window closed, accepted deals whose expiry passed.
CREATE INDEX proposals_disputes_due ON proposals (dispute_settles_at)
  WHERE status = 'disputed' AND dispute_settled_at IS NULL;
CREATE INDEX proposals_lapse_due ON proposals (expires_at)
  WHERE status = 'accepted' AND lapsed_at IS NULL AND expires_at IS NOT NULL;
