#!/usr/bin/env bash
# Adoption and status benchmark (issue 11). Usage: bench/migrate/adopt.sh [RUNS] [REVISIONS]
#  1. A database migrated by Flyway (REVISIONS files, default 1,000): `baton migrate adopt`
#     against its peer `flyway validate` (both read Flyway's history and checksum every file),
#     then the first `baton migrate upgrade`, which must apply nothing.
#  2. `baton migrate status` with 1,000, 5,000 and 10,000 applied revisions (recorded by `stamp`),
#     against `flyway info` on the same folders (Flyway's history a baseline at the last one).
# Whole-process wall times, RUNS runs each (default 5), medians. Server: PGHOST/PGPORT/PGUSER.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
n=${2:-1000}
. "$root/bench/migrate/lib.sh"
work="$root/bench/work-adopt"
rm -rf "$work" && mkdir -p "$work"

(cd "$root" && ./mvnw -q -B -DskipTests package -pl baton-cli -am)
(cd "$root" && ./mvnw -q -B -DskipTests -f bench/migrate/pom.xml package)
jvm=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)
flyway() { "${jvm[@]}" -jar "$root/bench/migrate/target/flyway-runner.jar" "jdbc:postgresql://$PGHOST:$PGPORT/$1" "$PGUSER" "$2" "$3"; }
declare -A times

# 1. adopt a Flyway database
python3 "$root/bench/migrate/gen.py" "$n" "$work/full"
db "DROP DATABASE IF EXISTS bench_adopt"; db "CREATE DATABASE bench_adopt"
flyway bench_adopt "$work/full" migrate 2>/dev/null
for run in $(seq 1 "$runs"); do
  db "DROP TABLE IF EXISTS baton_history" bench_adopt
  start=$(now); "$root/baton" migrate adopt --url "$(url bench_adopt)" --dir "$work/full" --log-dir "$work/logs" >/dev/null; end=$(now)
  times[adopt]="${times[adopt]:-} $(ms "$start" "$end")"
  [ "$(q bench_adopt "SELECT count(*) FROM baton_history WHERE direction = 'adopted'")" = "$n" ] || { echo "adopt recorded the wrong count" >&2; exit 1; }
  start=$(now); flyway bench_adopt "$work/full" validate 2>/dev/null; end=$(now)
  times[validate]="${times[validate]:-} $(ms "$start" "$end")"
done
start=$(now)
out=$("$root/baton" migrate upgrade --url "$(url bench_adopt)" --dir "$work/full" --log-dir "$work/logs" 2>&1)
end=$(now)
first_upgrade=$(ms "$start" "$end")
[ "$(q bench_adopt "SELECT count(*) FROM baton_history")" = "$n" ] || { echo "the upgrade after adopt ran something: $out" >&2; exit 1; }
db "DROP DATABASE bench_adopt"

# 2. status with 1,000 and 10,000 applied revisions
for size in 1000 5000 10000; do
  python3 "$root/bench/migrate/gen.py" "$size" "$work/light-$size" light
  name="bench_status_$size"
  db "DROP DATABASE IF EXISTS $name"; db "CREATE DATABASE $name"
  "$root/baton" migrate stamp head --url "$(url "$name")" --dir "$work/light-$size" --log-dir "$work/logs" >/dev/null
  flyway "$name" "$work/light-$size" "baseline:$size" 2>/dev/null
  for run in $(seq 1 "$runs"); do
    start=$(now); "$root/baton" migrate status --url "$(url "$name")" --dir "$work/light-$size" >/dev/null; end=$(now)
    times[status$size]="${times[status$size]:-} $(ms "$start" "$end")"
    start=$(now); flyway "$name" "$work/light-$size" info >/dev/null 2>&1; end=$(now)
    times[info$size]="${times[info$size]:-} $(ms "$start" "$end")"
  done
  db "DROP DATABASE $name"
done

a=$(echo "${times[adopt]}" | median); v=$(echo "${times[validate]}" | median)
s5=$(echo "${times[status5000]}" | median); s1=$(echo "${times[status1000]}" | median); s10=$(echo "${times[status10000]}" | median)
i1=$(echo "${times[info1000]}" | median); i10=$(echo "${times[info10000]}" | median)
fv=$(sed -n 's:.*<flyway.version>\(.*\)</flyway.version>.*:\1:p' "$root/bench/migrate/pom.xml")
echo
echo "whole-process wall time in ms, $runs runs each (median; all runs)"
echo "| what | median ms | runs |"
echo "|---|---|---|"
echo "| baton migrate adopt ($n-revision Flyway database) | $a |${times[adopt]} |"
echo "| flyway $fv validate (same database) | $v |${times[validate]} |"
echo "| first baton migrate upgrade after adopt (applies nothing) | $first_upgrade | |"
echo "| baton migrate status, 1,000 applied | $s1 |${times[status1000]} |"
echo "| flyway $fv info, 1,000 | $i1 |${times[info1000]} |"
echo "| baton migrate status, 5,000 applied | $s5 |${times[status5000]} |"
echo "| baton migrate status, 10,000 applied | $s10 |${times[status10000]} |"
echo "| flyway $fv info, 10,000 | $i10 |${times[info10000]} |"
awk -v a="$a" -v v="$v" -v s5="$s5" -v s1="$s1" -v s10="$s10" -v i1="$i1" -v i10="$i10" 'BEGIN {
  printf "\nadopt / flyway validate = %.2f\n", a/v
  printf "status 10,000 = %d ms (target <= 1500); flyway info / baton status at 10,000 = %.2f, at 1,000 = %.2f\n", s10, i10/s10, i1/s1
  printf "status cost per added revision: %.3f ms from 1,000 to 5,000, %.3f ms from 5,000 to 10,000 (flat when equal)\n", (s5-s1)/4000, (s10-s5)/5000 }'
