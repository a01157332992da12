-- Placeholder on the notify branch only, so that 0011 runs here without a gap in the version numbers.
-- Delete this file when merging: the real 0010 comes from another branch.
SELECT 1;
