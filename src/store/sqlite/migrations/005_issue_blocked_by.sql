-- the key of the item a dependent item waits for (IssueInput.blockedBy), so Sync Status can list
-- one item per root cause with what waits on it.
ALTER TABLE issues ADD COLUMN blocked_by TEXT;
