#!/usr/bin/env bash
# SSH deploy benchmark: v1→v2 deploys of the demo app over SSH to 1 and to 3 servers, each a real
# sshd with its own nginx on its own loopback address (127.0.0.2, .3, .4). Prints wall time and
# Baton's overhead against the unavoidable waits. Usage: bench/ssh/run.sh [RUNS] (default 3).
# Needs root (sshd logs in as this user), sshd, nginx, and PostgreSQL (BATON_DEMO_DATABASE_URL).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
(cd "$root" && ./mvnw -q -B -DskipTests package -pl baton-cli,examples/demo-app -am)
mkdir -p "$root/bench/work"
exec java -XX:+UseSerialGC -cp "$root/baton-cli/target/baton.jar" "$root/bench/ssh/SshBench.java" "$root" "${1:-3}"
