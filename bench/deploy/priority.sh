#!/usr/bin/env bash
# The live version's p99 while the next one starts, with the starting colour at low CPU priority
# (start_priority: low, the default) and at normal priority, behind the built-in router and nginx.
# Usage: bench/deploy/priority.sh [RATE] [RUNS] [LOAD] (default 1000 requests/s, 3 runs per router and
# priority, LOAD java: the demo's LoadGenerator in the bench's JVM; wrk: Debian's wrk paced by
# bench/deploy/paced.lua, a C client that takes far less of the CPU it measures). Environment:
# BATON_BENCH_ROUTERS (default builtin,nginx), BATON_BENCH_WARMUP_REQUESTS (the demo's warm-up
# requests per path, default 2000 as in the demo), BATON_BENCH_WARMUP_CONCURRENCY (how many at a time, default 4),
# BATON_BENCH_LOAD_WARMUP (seconds of load before the 10 s steady window, default 5), BATON_BENCH_LINT
# (migrations.lint, default error), BATON_BENCH_PLAN=1 (baton deploy --plan before the steady window, as the
# reference's workflow plans before it deploys: the deploy reuses the plan's lint verdict), BATON_BENCH_SWITCHED=N
# (N redeploys of v1 under the load first, so the measured deploy meets a router that has switched before),
# BATON_BENCH_TRACE=1 (with wrk: each deploy's log lines and its
# requests slower than BATON_BENCH_TRACE_MS, default 10, on one timeline), BATON_BENCH_PRIORITIES
# (default low,normal: the start priorities compared), BATON_BENCH_WARMUP_PATHS (default the demo's own), BATON_ROUTER_JAVA_OPTS (as for baton deploy). Needs
# PostgreSQL (BATON_DEMO_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), nginx on
# the PATH, and root (or CAP_SYS_NICE) so a priority can be raised back.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
(cd "$root" && ./mvnw -q -B -DskipTests package -pl baton-cli,examples/demo-app -am)
mkdir -p "$root/bench/work"
export BATON_BENCH_LOAD=${3:-java}
exec java -XX:+UseSerialGC -cp "$root/baton-cli/target/baton.jar" "$root/bench/deploy/DeployBench.java" "$root" "${1:-1000}" "${2:-3}" priority
