-- the bill an allocation applies to, so a changed bill's allocations are found by an index search
-- when deletions are looked for (Clio keeps no tombstones, clio-api.md §5.10).
ALTER TABLE mirror ADD COLUMN bill_id TEXT;
UPDATE mirror SET bill_id = CAST(json_extract(data, '$.bill.id') AS TEXT) WHERE kind = 'allocation';
CREATE INDEX mirror_by_bill ON mirror (kind, bill_id, sort_key, id);
