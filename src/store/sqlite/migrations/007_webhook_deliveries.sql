-- fingerprints of webhook deliveries already taken (replays change nothing), with their expiry.
CREATE TABLE webhook_deliveries (
  fingerprint TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_by_expiry ON webhook_deliveries (expires_at);
