# Shared by the migration benchmarks (sourced, not run): the server, timing and medians.
# Server: PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres).
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
# db SQL [DATABASE]: run a statement quietly (in postgres unless a database is named)
db() { psql -X -q -d "${2:-postgres}" -c "$1" >/dev/null; }
# q DATABASE SQL: a query's rows, unaligned
q() { psql -X -qtA -d "$1" -c "$2"; }
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
# the median of whitespace-separated numbers on stdin
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
url() { echo "jdbc:postgresql://$PGHOST:$PGPORT/$1?user=$PGUSER"; }
