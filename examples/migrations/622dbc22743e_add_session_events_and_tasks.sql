-- baton:revision 622dbc22743e
-- baton:parents 1f3a9c0b7d21
-- baton:message add session events and tasks
-- baton:transactional true

CREATE TABLE session_events (
    id         bigserial PRIMARY KEY,
    session_id bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    payload    jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE session_tasks (
    id         bigserial PRIMARY KEY,
    session_id bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    description text NOT NULL,
    done       boolean NOT NULL DEFAULT false
);

-- Nullable, no default: adding it does not rewrite the table or block the version still serving.
ALTER TABLE sessions ADD COLUMN synthesis_text text;

CREATE FUNCTION session_event_count(sid bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM session_events WHERE session_id = sid;
$$;

COMMENT ON TABLE session_events IS 'what happened in a session; one row per event';

-- baton:down
DROP FUNCTION session_event_count(bigint);
ALTER TABLE sessions DROP COLUMN synthesis_text;
DROP TABLE session_tasks;
DROP TABLE session_events;
