-- a link's state in explicit fields. Before, a void, a delete and a change made in QBO were words
-- in content_hash ('void', 'deleted', 'edited-in-qbo', 'stale') and `base` held whatever the entity
-- kept (a contact's merge base, an invoice's fingerprint, a credit memo's applications). Now: state
-- 'voided', qbo_edited_at, and a typed baseline tagged by kind. The outbox payloads still pending
-- (or kept) carry the same words and are converted alike.
CREATE TABLE links_v4 (
  entity TEXT NOT NULL,
  clio_id TEXT NOT NULL,
  qbo_id TEXT NOT NULL,
  sync_token TEXT NOT NULL,
  state TEXT NOT NULL,
  content_hash TEXT,
  qbo_edited_at INTEGER,
  baseline TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (entity, clio_id)
);
INSERT INTO links_v4 (entity, clio_id, qbo_id, sync_token, state, content_hash, qbo_edited_at, baseline, updated_at)
SELECT
  entity, clio_id, qbo_id, sync_token,
  CASE WHEN state = 'linked' AND content_hash = 'void' THEN 'voided' ELSE state END,
  CASE WHEN content_hash IN ('void', 'deleted', 'edited-in-qbo', 'stale') THEN NULL ELSE content_hash END,
  CASE WHEN content_hash IN ('edited-in-qbo', 'stale') THEN updated_at END,
  CASE
    WHEN base IS NULL OR json_type(base) IS NOT 'object' THEN NULL
    WHEN entity = 'customer' THEN json_object('kind', 'contact', 'fields', json(base))
    WHEN entity = 'invoice' AND json_type(base, '$.fingerprint') = 'text'
      THEN json_object('kind', 'invoice', 'fingerprint', json_extract(base, '$.fingerprint'))
    WHEN entity = 'credit_memo' THEN json_object(
      'kind', 'credit_memo',
      'applications', json(coalesce(json_extract(base, '$.applications'), '[]')),
      'date', coalesce(json_extract(base, '$.date'), ''))
  END,
  updated_at
FROM links;
DROP TABLE links;
ALTER TABLE links_v4 RENAME TO links;
CREATE INDEX links_by_qbo ON links (entity, qbo_id);

UPDATE outbox SET payload = json_set(json_remove(payload, '$.contentHash'), '$.linkAfter', 'voided')
  WHERE json_extract(payload, '$.contentHash') = 'void';
UPDATE outbox SET payload = json_remove(payload, '$.contentHash')
  WHERE json_extract(payload, '$.contentHash') = 'deleted';
UPDATE outbox SET payload = json_remove(payload, '$.linkAfter')
  WHERE json_extract(payload, '$.linkAfter') = 'linked';
UPDATE outbox SET payload = json_remove(json_set(payload, '$.baseline',
    CASE
      WHEN json_type(payload, '$.base') IS NOT 'object' THEN NULL
      WHEN entity = 'customer' THEN json_object('kind', 'contact', 'fields', json_extract(payload, '$.base'))
      WHEN entity = 'invoice' AND json_type(payload, '$.base.fingerprint') = 'text'
        THEN json_object('kind', 'invoice', 'fingerprint', json_extract(payload, '$.base.fingerprint'))
      WHEN entity = 'credit_memo' THEN json_object(
        'kind', 'credit_memo',
        'applications', coalesce(json_extract(payload, '$.base.applications'), json('[]')),
        'date', coalesce(json_extract(payload, '$.base.date'), ''))
    END), '$.base')
  WHERE json_type(payload, '$.base') IS NOT NULL;
