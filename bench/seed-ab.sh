#!/usr/bin/env bash
# Before/after on a shared machine: SeedBenchmark from a saved build (A) and from this checkout (B), taking turns
# in one run, so that both see the same load. Save A first from the older commit:
#   mvn -B -q -DskipTests package -pl moe-bench -am && mkdir -p /tmp/moe-a && cp -r moe-bench/target/*.jar moe-bench/target/lib /tmp/moe-a/
# Usage: bench/seed-ab.sh A_DIR [CONFIG [RUNS]]   (default examples/seed-experiment-article-gate.yaml, 3 runs each)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${3:-3}"
source bench/common.sh
ab_setup "$1" "${2:-}"
for i in $(seq "$runs"); do
  for side in A B; do
    if [[ "$side" == A ]]; then cp="$a/moe-bench-0.1.0-SNAPSHOT.jar:$a/lib/*"; else cp="$jar:moe-bench/target/lib/*"; fi
    echo "$side $(java -cp "$cp" dev.moe.bench.SeedBenchmark "$config" 200000)"
  done
done
