#!/usr/bin/env bash
# Deploy benchmark: a v1→v2 deploy of the demo app under steady load through the built-in router,
# then the router against nginx with the same load tool. Usage: bench/deploy/run.sh [RATE] [RUNS] [LOAD]
# (default 1000 requests/s, 3 deploys; RUNS=0 runs the router comparison alone; LOAD java, the demo's
# LoadGenerator, or wrk: Debian's wrk for the router comparison, -t2 -c32, which leaves the CPU to the
# proxies; BATON_BENCH_LOAD_WARMUP: seconds of load before each measured window, default 5). Needs PostgreSQL (BATON_DEMO_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
# and nginx on the PATH for the router comparison.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
(cd "$root" && ./mvnw -q -B -DskipTests package -pl baton-cli,examples/demo-app -am)
mkdir -p "$root/bench/work"
export BATON_BENCH_LOAD=${3:-java}
exec java -XX:+UseSerialGC -cp "$root/baton-cli/target/baton.jar" "$root/bench/deploy/DeployBench.java" "$root" "${1:-1000}" "${2:-3}"
