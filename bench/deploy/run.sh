#!/usr/bin/env bash
# Deploy benchmark: a v1→v2 deploy of the demo app under steady load through the built-in router,
# then the router against nginx with the same load tool. Usage: bench/deploy/run.sh [RATE] [RUNS]
# (default 1000 requests/s, 3 deploys; RUNS=0 runs the router comparison alone). Needs PostgreSQL (BATON_DEMO_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/postgres) and nginx on the PATH for the router comparison.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
(cd "$root" && ./mvnw -q -B -DskipTests package -pl baton-cli,examples/demo-app -am)
mkdir -p "$root/bench/work"
exec java -XX:+UseSerialGC -cp "$root/baton-cli/target/baton.jar" "$root/bench/deploy/DeployBench.java" "$root" "${1:-1000}" "${2:-3}"
