-- Skill search now runs on an in-memory index loaded from these tables (SkillRepository), which
-- also gives the exact match count cheaply. These two indexes served the old SQL search; dropping
-- them saves their upkeep on every registration. pg_trgm stays installed: dropping an extension
-- needs rights an external database may not grant.
DROP INDEX IF EXISTS skills_capability_trgm;
DROP INDEX IF EXISTS skills_search_order;
