-- the dashboard's accounts and login sessions (src/web). A session is stored by the SHA-256 of its
-- id, so a copy of the database does not hand out live sessions; the CSRF token belongs to it.
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
