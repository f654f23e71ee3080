/**
 * SQLite schema, as numbered migrations applied in order inside one transaction each.
 * `PRAGMA user_version` records how far a database file has come.
 */
export const sqliteMigrations: string[] = [
  `
  CREATE TABLE links (
    entity TEXT NOT NULL,
    clio_id TEXT NOT NULL,
    qbo_id TEXT NOT NULL,
    sync_token TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    base TEXT,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (entity, clio_id)
  );
  CREATE INDEX links_by_qbo ON links (entity, qbo_id);

  CREATE TABLE outbox (
    request_id TEXT PRIMARY KEY,
    batch_id TEXT,
    entity TEXT NOT NULL,
    clio_id TEXT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    seq INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX outbox_pending ON outbox (state, seq);

  CREATE TABLE cursors (stream TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE issues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    entity TEXT NOT NULL,
    clio_id TEXT,
    qbo_id TEXT,
    clio_name TEXT,
    qbo_name TEXT,
    provider_code TEXT,
    details TEXT,
    state TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    retry_requested INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX issues_by_state ON issues (state, code);

  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    run_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    action TEXT NOT NULL,
    clio_id TEXT NOT NULL,
    qbo_id TEXT,
    before TEXT,
    after TEXT,
    outcome TEXT NOT NULL,
    detail TEXT
  );

  CREATE TABLE matches (
    clio_id TEXT PRIMARY KEY,
    qbo_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE mirror (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    sort_key INTEGER NOT NULL,
    parent_id TEXT,
    etag TEXT NOT NULL,
    data TEXT NOT NULL,
    dirty INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
  );
  CREATE INDEX mirror_by_order ON mirror (kind, sort_key, id);
  CREATE INDEX mirror_by_parent ON mirror (kind, parent_id);
  CREATE INDEX mirror_dirty ON mirror (kind, dirty, sort_key);
  `,
  // 2: the planner chose the ordering index for parent and dirty look-ups and scanned a whole kind
  // per call (quadratic on a large firm); these indexes serve the filter and the order together.
  `
  DROP INDEX mirror_by_parent;
  DROP INDEX mirror_dirty;
  CREATE INDEX mirror_by_parent ON mirror (kind, parent_id, sort_key, id);
  CREATE INDEX mirror_dirty ON mirror (kind, dirty, sort_key, id);
  `,
  // 3: the bill an allocation applies to, so a changed bill's allocations are found by an index
  // search when deletions are looked for (Clio keeps no tombstones, clio-api.md §5.10).
  `
  ALTER TABLE mirror ADD COLUMN bill_id TEXT;
  UPDATE mirror SET bill_id = CAST(json_extract(data, '$.bill.id') AS TEXT) WHERE kind = 'allocation';
  CREATE INDEX mirror_by_bill ON mirror (kind, bill_id, sort_key, id);
  `,
  // 4: the dashboard's accounts and login sessions (src/web). A session is stored by the SHA-256 of
  // its id, so a copy of the database does not hand out live sessions; the CSRF token belongs to it.
  `
  CREATE TABLE web_users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX web_sessions_by_user ON web_sessions (user_name);
  `,
  // 5: the key of the item a dependent item waits for (IssueInput.blockedBy), so Sync Status can
  // list one item per root cause with what waits on it.
  `
  ALTER TABLE issues ADD COLUMN blocked_by TEXT;
  `,
  // 6: a link's state in explicit fields. Before, a void, a delete and a change made in QBO were
  // words in content_hash ('void', 'deleted', 'edited-in-qbo', 'stale') and `base` held whatever
  // the entity kept (a contact's merge base, an invoice's fingerprint, a credit memo's
  // applications). Now: state 'voided', qbo_edited_at, and a typed baseline tagged by kind. The
  // outbox payloads still pending (or kept) carry the same words and are converted alike.
  `
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
  `,
  // 7: fingerprints of webhook deliveries already taken (replays change nothing), with their expiry.
  `
  CREATE TABLE webhook_deliveries (
    fingerprint TEXT PRIMARY KEY,
    received_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX webhook_deliveries_by_expiry ON webhook_deliveries (expires_at);
  `,
];
