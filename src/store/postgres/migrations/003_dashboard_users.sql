-- Scale mode's dashboard (serve on PostgreSQL): its users, their sessions, and where webhooks go.
-- These are the installation's, not one firm's, so firm_id is not first in their keys: a login
-- names a user, not a firm, and a webhook names a QBO company or a Clio subscription.

-- firm_id NULL: an integrator's admin, who sees every firm; otherwise the one firm the user sees.
CREATE TABLE dashboard_users (
  name TEXT PRIMARY KEY,
  firm_id TEXT,
  password_hash TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX dashboard_users_by_firm ON dashboard_users (firm_id);

CREATE TABLE dashboard_sessions (
  id_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX dashboard_sessions_by_user ON dashboard_sessions (user_name);
CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (expires_at);

-- provider 'qbo': external_id is the company's realmId; 'clio': a webhook subscription's id.
-- Written when a firm connects QuickBooks and after each pass (its realm, its Clio subscriptions).
CREATE TABLE webhook_routes (
  provider TEXT NOT NULL,
  external_id TEXT NOT NULL,
  firm_id TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (provider, external_id)
);
CREATE INDEX webhook_routes_by_firm ON webhook_routes (firm_id, provider);
