#!/usr/bin/env bash
# What a starting colour's lower priority is worth against the serving one when each runs in a
# session of its own, as Baton starts them: two CPU-bound loops share one core for 3 s, the
# "serving" one at nice 0, the "starting" one lowered three ways. Prints the starting loop's share.
#   nice only:           setsid nice -n 10 LOOP                 (Baton before 30 Nov: nice alone)
#   group and nice:      setsid sh -c 'echo 10 >/proc/self/autogroup; exec nice -n 10 LOOP'  (now)
#   same session, nice:  nice -n 10 LOOP, both loops in this session (what nice was meant to do)
# Usage: bench/deploy/groups.sh [SECONDS]
set -euo pipefail
secs=${1:-3}
loop='while :; do :; done'
ticks() { local s; s=$(cat "/proc/$1/stat"); s=${s##*) }; set -- $s; echo $(( ${12} + ${13} )); }
measure() { # $1 label, $2 how the starting loop is started
  local serving starting a b
  if [ "$2" = same ]; then taskset -c 0 sh -c "$loop" & serving=$!; else setsid taskset -c 0 sh -c "$loop" & serving=$!; fi
  case $2 in
    nice) setsid taskset -c 0 nice -n 10 sh -c "$loop" & starting=$! ;;
    group) setsid sh -c 'echo 10 >/proc/self/autogroup; exec taskset -c 0 nice -n 10 sh -c "$0"' "$loop" & starting=$! ;;
    same) taskset -c 0 nice -n 10 sh -c "$loop" & starting=$! ;;
  esac
  sleep "$secs"
  a=$(ticks "$serving"); b=$(ticks "$starting")
  kill "$serving" "$starting"; wait "$serving" "$starting" 2>/dev/null || true
  printf '%-22s serving %4d ticks, starting %4d ticks: the starting loop took %2d %% of the core\n' "$1" "$a" "$b" $(( 100 * b / (a + b) ))
}
[ -e /proc/self/autogroup ] || echo "note: this kernel has no autogroup (/proc/self/autogroup): the first two lines will not differ"
echo "# sched_autogroup_enabled=$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo n/a), $secs s per line"
measure "nice only (before)" nice
measure "group and nice (now)" group
measure "same session, nice" same
