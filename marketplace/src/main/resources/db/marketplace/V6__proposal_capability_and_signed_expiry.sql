-- What a receipt needs to re-check the proposer's signature and to move per-capability ratings:
-- the expiry exactly as signed (relative seconds; expires_at is absolute) and the capability the
-- deal names (not signed, as in the reference). Proposals made before keep nulls.
ALTER TABLE proposals ADD COLUMN capability text NULL;
ALTER TABLE proposals ADD COLUMN expires_in numeric NULL;
