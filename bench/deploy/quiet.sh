#!/usr/bin/env bash
# A v1→v2 deploy of the demo app on a quiet machine, timed from the launcher's start to its exit.
# Usage: bench/deploy/quiet.sh [RUNS] [OTHER_CHECKOUT] (default 5 runs). With OTHER_CHECKOUT (a
# built clone of another commit), its ./baton takes turns with this one: an A/B of two commits.
# Needs PostgreSQL (BATON_DEMO_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
(cd "$root" && ./mvnw -q -B -DskipTests package -pl baton-cli,examples/demo-app -am)
mkdir -p "$root/bench/work"
exec java -XX:+UseSerialGC -cp "$root/baton-cli/target/baton.jar" "$root/bench/deploy/DeployBench.java" "$root" 0 "${1:-5}" quiet ${2:+"$2"}
