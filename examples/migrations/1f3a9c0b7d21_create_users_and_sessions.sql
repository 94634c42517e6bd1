-- baton:revision 1f3a9c0b7d21
-- baton:parents
-- baton:message create users and sessions
-- baton:transactional true

CREATE TABLE users (
    id         bigserial PRIMARY KEY,
    email      text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    title      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- baton:down
DROP TABLE sessions;
DROP TABLE users;
