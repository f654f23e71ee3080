-- The embedded store's tables as first released: links, outbox, cursors, settings (kv), Sync Status
-- issues, audit, match proposals and the Clio mirror. File N is PRAGMA user_version N.
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
