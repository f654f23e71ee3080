-- the planner chose the ordering index for parent and dirty look-ups and scanned a whole kind per
-- call (quadratic on a large firm); these indexes serve the filter and the order together.
DROP INDEX mirror_by_parent;
DROP INDEX mirror_dirty;
CREATE INDEX mirror_by_parent ON mirror (kind, parent_id, sort_key, id);
CREATE INDEX mirror_dirty ON mirror (kind, dirty, sort_key, id);
