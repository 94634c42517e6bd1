#!/usr/bin/env python3
"""Writes N Flyway-named revisions (V1__...sql), each a table, an index and a few inserts;
with a third argument `light`, each a one-line SELECT (for benchmarks that only read the history)."""
import os, sys
n, out = int(sys.argv[1]), sys.argv[2]
light = len(sys.argv) > 3 and sys.argv[3] == "light"
os.makedirs(out, exist_ok=True)
for i in range(1, n + 1):
    with open(os.path.join(out, f"V{i}__table_{i}.sql"), "w") as f:
        if light:
            f.write(f"-- revision {i}\nSELECT {i};\n")
            continue
        f.write(f"""-- revision {i}
CREATE TABLE t_{i} (
    id serial PRIMARY KEY,
    name text NOT NULL,
    qty integer NOT NULL DEFAULT 0,
    note text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t_{i}_name ON t_{i} (name);
INSERT INTO t_{i} (name, qty, note) VALUES ('alpha', 1, 'first; row');
INSERT INTO t_{i} (name, qty, note) VALUES ('beta', 2, NULL);
INSERT INTO t_{i} (name, qty, note) VALUES ('gamma', 3, 'it''s three');
""")
