#!/usr/bin/env bash
# How long the built-in router is away after kill -9: its supervisor (baton proxy --supervise)
# starts it again; this measures from the kill until a request through the router is answered
# by the backend again. Usage: bench/router/restart.sh [RUNS] (default 10). Needs curl and
# busybox (the backend: busybox httpd). Does not rebuild: run ./mvnw -q -DskipTests package first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/baton-cli/target/baton.jar"
runs=${1:-10}
work=$(mktemp -d)
trap 'kill $(cut -d" " -f1 "$work/state/run/router-supervisor.pid" 2>/dev/null) $backend 2>/dev/null || true; rm -rf "$work"' EXIT
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
blue=$(free); green=$(free); listen=$(free)
mkdir -p "$work/www" && echo ok > "$work/www/index.html"
busybox httpd -f -p "127.0.0.1:$blue" -h "$work/www" & backend=$!
cat > "$work/baton.yml" <<YAML
app: bench
state_dir: state
services:
  web: {command: [true], ports: {blue: $blue, green: $green}}
router: {listen: 127.0.0.1:$listen, admin: 127.0.0.1:$((listen + 1))}
YAML
mkdir -p "$work/state/run" "$work/state/logs"
setsid java -XX:+UseSerialGC -jar "$jar" proxy --supervise --config "$work/baton.yml" >> "$work/state/logs/router.log" 2>&1 &
echo "$! 0" > "$work/state/run/router-supervisor.pid"
until curl -fs -o /dev/null "http://127.0.0.1:$listen/index.html"; do sleep 0.05; done
total=0; worst=0
for i in $(seq "$runs"); do
  sleep 16    # a router that has run a while: its supervisor has a standby ready (after 15 s)
  pid=$(cut -d' ' -f1 "$work/state/run/router.pid")
  start=$(date +%s%N)
  kill -9 "$pid"
  until curl -fs -m 1 -o /dev/null "http://127.0.0.1:$listen/index.html"; do
    sleep 0.01
    [ $(( ($(date +%s%N) - start) / 1000000000 )) -lt 30 ] || { echo "not serving 30 s after the kill; see $work/state/logs/router.log"; exit 1; }
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "run $i: serving again after $ms ms"
  total=$((total + ms)); [ "$ms" -gt "$worst" ] && worst=$ms
done
echo "mean $((total / runs)) ms, worst $worst ms over $runs kills"
