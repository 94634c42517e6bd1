-- baton:revision 9b84e2d0c5aa
-- baton:parents 622dbc22743e
-- baton:message index session events by session, without locking writes
-- baton:transactional false
--
-- CREATE INDEX CONCURRENTLY cannot run in a transaction, so this revision is marked
-- non-transactional and holds just this one statement (IF NOT EXISTS makes a re-run safe).

CREATE INDEX CONCURRENTLY IF NOT EXISTS session_events_session_id ON session_events (session_id);

-- baton:down
DROP INDEX CONCURRENTLY IF EXISTS session_events_session_id;
