#!/usr/bin/env bash
# The old version's latency while a migration waits for a lock (issue 12): Flyway (its
# defaults: no lock timeout) against Baton (its defaults), in one run, on a table of ROWS rows
# (default 1,000,000) under RATE transactions/s (default 400) of point reads and writes, while a
# reporting transaction holds the table for HOLD seconds (default 6). Source: LockBench.java.
# Usage: bench/migrate/locks.sh [RUNS] [ROWS] [RATE] [HOLD]. Server: PGHOST/PGPORT/PGUSER.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}; rows=${2:-1000000}; rate=${3:-400}; hold=${4:-6}
. "$root/bench/migrate/lib.sh"
work="$root/bench/work-locks"
rm -rf "$work" && mkdir -p "$work"
(cd "$root" && ./mvnw -q -B -DskipTests package -pl baton-cli -am)
(cd "$root" && ./mvnw -q -B -DskipTests -f bench/migrate/pom.xml package)
jar="$root/bench/migrate/target/flyway-runner.jar"
url="jdbc:postgresql://$PGHOST:$PGPORT/bench_locks?user=$PGUSER"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS bench_locks" -c "CREATE DATABASE bench_locks" >/dev/null
psql -X -q -d bench_locks -c "CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL, note text)" \
  -c "INSERT INTO accounts SELECT g, 0, 'row ' || g FROM generate_series(1, $rows) g" -c "VACUUM ANALYZE accounts" >/dev/null
jvm=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)
echo "tool|requests during the migration|steady p99 ms|p99 during ms|max during ms|failed|migration s|result"
for run in $(seq 1 "$runs"); do
  java -cp "$jar" dev.baton.bench.LockBench "$url" "$work/migrations" "$rate" "$hold" "flyway (no lock timeout)" \
    "${jvm[@]}" -jar "$jar" "jdbc:postgresql://$PGHOST:$PGPORT/bench_locks" "$PGUSER" "$work/migrations" migrate
  java -cp "$jar" dev.baton.bench.LockBench "$url" "$work/migrations" "$rate" "$hold" "baton (200 ms, retried)" \
    "$root/baton" migrate upgrade --url "$url" --dir "$work/migrations" --log-dir "$work/logs"
done
psql -X -q -d postgres -c "DROP DATABASE bench_locks" >/dev/null
