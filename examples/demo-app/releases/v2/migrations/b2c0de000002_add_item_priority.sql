-- baton:revision b2c0de000002
-- baton:parents a1c0de000001
-- baton:message add item priority
-- baton:transactional true

-- Expand only: v1, still serving while v2 starts, reads id and name and never sees this column.
ALTER TABLE items ADD COLUMN priority integer NOT NULL DEFAULT 0;
-- baton:allow exclusive-lock-then-slow-work a few demo rows: the backfill under the ADD COLUMN's lock takes a millisecond
UPDATE items SET priority = id * 10;

-- baton:down
ALTER TABLE items DROP COLUMN priority;
