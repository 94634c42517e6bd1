-- baton:revision c3c0de000003
-- baton:parents b2c0de000002
-- baton:message add item sku (fails: existing rows have no sku)
-- baton:transactional true

CREATE TABLE item_tags (
    item_id bigint NOT NULL REFERENCES items (id),
    tag     text NOT NULL
);

-- Fails on purpose: the existing rows have no value for a NOT NULL column. The whole
-- revision, item_tags included, is rolled back and v2 keeps serving.
ALTER TABLE items ADD COLUMN sku text NOT NULL;

-- baton:down
DROP TABLE item_tags;
ALTER TABLE items DROP COLUMN sku;
