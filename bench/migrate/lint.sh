#!/usr/bin/env bash
# Lint benchmark (issue 12): `baton migrate lint` of one new revision against a database with
# REVISIONS applied (default 1,000, the generated folder of run.sh), so the shadow database is
# brought to the target's revision by replaying all of them; against `baton migrate upgrade` of
# the same REVISIONS into a fresh database (the replay's own cost). Whole-process wall times,
# RUNS runs each (default 3), medians. Server: PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
n=${2:-1000}
. "$root/bench/migrate/lib.sh"
work="$root/bench/work-lint"
rm -rf "$work" && mkdir -p "$work"
(cd "$root" && ./mvnw -q -B -DskipTests package -pl baton-cli -am)
python3 "$root/bench/migrate/gen.py" "$n" "$work/migrations"
declare -A times
db "DROP DATABASE IF EXISTS bench_lint"; db "CREATE DATABASE bench_lint"
"$root/baton" migrate upgrade --url "$(url bench_lint)" --dir "$work/migrations" --log-dir "$work/logs" 2>/dev/null
next=$((n + 1))
printf 'ALTER TABLE t_1 ADD COLUMN extra text;\nCREATE INDEX t_1_extra ON t_1 (extra);\n' > "$work/migrations/V${next}__extra.sql"
for run in $(seq 1 "$runs"); do
  start=$(now)
  set +e; "$root/baton" migrate lint --url "$(url bench_lint)" --dir "$work/migrations" --log-dir "$work/logs" 2>"$work/lint.out"; code=$?; set -e
  end=$(now)
  grep -q "index-without-concurrently" "$work/lint.out" && [ "$code" = 1 ] || { cat "$work/lint.out" >&2; echo "the lint missed the unsafe index" >&2; exit 1; }
  times[lint]="${times[lint]:-} $(ms "$start" "$end")"
  name="bench_lint_up_$run"
  db "DROP DATABASE IF EXISTS $name"; db "CREATE DATABASE $name"
  rm "$work/migrations/V${next}__extra.sql"
  start=$(now)
  "$root/baton" migrate upgrade --url "$(url "$name")" --dir "$work/migrations" --log-dir "$work/logs" 2>/dev/null
  end=$(now)
  times[upgrade]="${times[upgrade]:-} $(ms "$start" "$end")"
  printf 'ALTER TABLE t_1 ADD COLUMN extra text;\nCREATE INDEX t_1_extra ON t_1 (extra);\n' > "$work/migrations/V${next}__extra.sql"
  db "DROP DATABASE $name"
done
db "DROP DATABASE bench_lint"
l=$(echo "${times[lint]}" | median); u=$(echo "${times[upgrade]}" | median)
echo
echo "| what | median ms | runs |"
echo "|---|---|---|"
echo "| baton migrate lint: 1 new revision, $n applied (shadow made, $n replayed, 1 observed) | $l |${times[lint]} |"
echo "| baton migrate upgrade: the $n revisions into a fresh database | $u |${times[upgrade]} |"
awk -v l="$l" -v u="$u" 'BEGIN { printf "\nlint / upgrade = %.2f\n", l/u }'
