-- Reserved: migration 17 belongs to another branch (media2) merged beside this one. This file only keeps the versions
-- without a gap on its own; drop it when that branch's 0017 is merged.
SELECT 1;
