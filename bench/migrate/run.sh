#!/usr/bin/env bash
# Migration benchmark: 1,000 generated revisions applied to fresh databases by Baton, Flyway
# (flyway-core, programmatic) and psql (one session, one transaction per file: the floor).
# Whole-process wall times, RUNS runs each (default 5), medians and ratios; then `baton migrate
# current` on the 1,000-revision database. Usage: bench/migrate/run.sh [RUNS] [REVISIONS]
# Server: PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
n=${2:-1000}
. "$root/bench/migrate/lib.sh"
work="$root/bench/work"
rm -rf "$work" && mkdir -p "$work"

(cd "$root" && ./mvnw -q -B -DskipTests package -pl baton-cli -am)
(cd "$root" && ./mvnw -q -B -DskipTests -f bench/migrate/pom.xml package)
python3 "$root/bench/migrate/gen.py" "$n" "$work/migrations"
for f in $(ls "$work/migrations" | sort -t_ -k1.2 -n); do
  printf 'BEGIN;\n\\i %s\nCOMMIT;\n' "$work/migrations/$f"
done > "$work/psql-driver.sql"

jvm=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)

declare -A times
for run in $(seq 1 "$runs"); do
  for tool in psql baton flyway; do
    name="bench_${tool}_${run}"
    db "DROP DATABASE IF EXISTS $name"
    db "CREATE DATABASE $name"
    url="jdbc:postgresql://$PGHOST:$PGPORT/$name?user=$PGUSER"
    start=$(now)
    case $tool in
      psql) psql -X -q -v ON_ERROR_STOP=1 -d "$name" -f "$work/psql-driver.sql" >/dev/null ;;
      baton) "$root/baton" migrate upgrade --url "$url" --dir "$work/migrations" --log-dir "$work/logs" 2>/dev/null ;;
      flyway) "${jvm[@]}" -jar "$root/bench/migrate/target/flyway-runner.jar" "jdbc:postgresql://$PGHOST:$PGPORT/$name" "$PGUSER" "$work/migrations" 2>/dev/null ;;
    esac
    end=$(now)
    times[$tool]="${times[$tool]:-} $(ms "$start" "$end")"
    count=$(psql -X -qtA -d "$name" -c "SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\_%'")
    [ "$count" = "$n" ] || { echo "$tool created $count tables, expected $n" >&2; exit 1; }
    [ "$tool" = baton ] && [ "$run" = "$runs" ] || db "DROP DATABASE $name"
  done
done

current_db="bench_baton_${runs}"
curl="jdbc:postgresql://$PGHOST:$PGPORT/$current_db?user=$PGUSER"
for i in $(seq 1 $(( runs * 2 ))); do
  start=$(now)
  "$root/baton" migrate current --url "$curl" >/dev/null
  end=$(now)
  times[current]="${times[current]:-} $(ms "$start" "$end")"
done
db "DROP DATABASE $current_db"

p=$(echo "${times[psql]}" | median); b=$(echo "${times[baton]}" | median); f=$(echo "${times[flyway]}" | median)
c=$(echo "${times[current]}" | median)
echo
echo "$n revisions, $runs runs each, whole-process wall time in ms (median; all runs)"
echo "| tool | median ms | runs |"
echo "|---|---|---|"
echo "| psql (floor) | $p |${times[psql]} |"
echo "| baton | $b |${times[baton]} |"
echo "| flyway $(sed -n 's:.*<flyway.version>\(.*\)</flyway.version>.*:\1:p' "$root/bench/migrate/pom.xml") | $f |${times[flyway]} |"
echo "| baton migrate current (1,000 applied) | $c |${times[current]} |"
awk -v b="$b" -v p="$p" -v f="$f" 'BEGIN { printf "\nbaton / psql = %.2f (target <= 1.5)\nflyway / baton = %.2f (target >= 2)\n", b/p, f/b }'
echo "baton migrate current = $c ms (target <= 600)"
