-- baton:revision a1c0de000001
-- baton:parents
-- baton:message create items
-- baton:transactional true

CREATE TABLE items (
    id   bigserial PRIMARY KEY,
    name text NOT NULL
);

INSERT INTO items (name) VALUES ('first item'), ('second item'), ('third item');

-- baton:down
DROP TABLE items;
