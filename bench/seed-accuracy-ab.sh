#!/usr/bin/env bash
# Accuracy of two builds on the very same seeds: SeedBenchmark with a saved build's jars (A) and with this checkout's
# (B), each training the config's seed and the next ones, then the paired differences (B - A) with their standard
# error. For changes that alter the last bits of training (sums in another order): is accuracy the same beyond noise?
# Save A first, as for bench/seed-ab.sh:
#   mvn -B -q -DskipTests package -pl moe-bench -am && mkdir -p /tmp/moe-a && cp -r moe-bench/target/*.jar moe-bench/target/lib /tmp/moe-a/
# Usage: bench/seed-accuracy-ab.sh A_DIR [CONFIG [SEEDS]]   (default examples/seed-experiment-article-gate.yaml, 10 seeds)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seeds="${3:-10}"
source bench/common.sh
ab_setup "$1" "${2:-}"
out=$(mktemp)
for side in A B; do
  if [[ "$side" == A ]]; then cp="$a/moe-bench-0.1.0-SNAPSHOT.jar:$a/lib/*"; else cp="$jar:moe-bench/target/lib/*"; fi
  echo "$side load $(cut -d' ' -f1 /proc/loadavg) $(java -cp "$cp" dev.moe.bench.SeedBenchmark "$config" 8192 "$seeds" 2>/dev/null)" | tee -a "$out"
done
python3 - "$out" <<'PY'
import json, math, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    side, _, load, text = line.split(' ', 3)
    runs[side] = json.loads(text)['accuracies']
a, b = runs['A'], runs['B']
d = [y - x for x, y in zip(a, b)]
se = statistics.stdev(d) / math.sqrt(len(d)) if len(d) > 1 else float('nan')
print(f"A mean {statistics.mean(a):.4f}, B mean {statistics.mean(b):.4f}; B - A paired over {len(d)} seeds: "
      f"{statistics.mean(d):+.4f} +- {se:.4f} (standard error); seeds that differ: {sum(1 for x in d if x != 0)}")
PY
rm -f "$out"
