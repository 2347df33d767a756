#!/usr/bin/env bash
# Accuracy of moe and of the PyTorch reference on the very same rows: for each seed moe writes the rows its
# experts, gate and test set used (moe-bench's SeedSplits), PyTorch trains the article's models on them, and
# the script prints both accuracies per seed and the mean paired difference. Needs Debian's python3-torch.
# Usage: bench/seed-accuracy-paired.sh [article|linear [SEEDS]]   (default: article 10)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
gate="${1:-article}"
seeds="${2:-10}"
jar=moe-bench/target/moe-bench-0.1.0-SNAPSHOT.jar
if [[ ! -f "$jar" || -n "$(find pom.xml moe-*/pom.xml moe-*/src/main moe-experts/*/pom.xml moe-experts/*/src/main \
      -newer "$jar" -print -quit)" ]]; then
  mvn -B -q -DskipTests package -pl moe-bench -am >&2
fi
if [[ "$gate" == linear ]]; then
  config=examples/seed-experiment.yaml; torch_args=(--linear-gate --gate-epochs 1000 --gate-lr 0.01)
else
  config=examples/seed-experiment-article-gate.yaml; torch_args=()
fi
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
moe=$(source bin/native-env.sh && moe_native_env \
  && java -cp "$jar:moe-bench/target/lib/*" dev.moe.bench.SeedSplits "$config" "$seeds" "$dir")
torch=""
for split in $(ls "$dir" | sort -n); do
  torch+=$(OMP_NUM_THREADS=2 /usr/bin/python3 bench/seed_pytorch.py --threads 2 --seed "$split" \
    --split-dir "$dir/$split" "${torch_args[@]}")$'\n'
done
/usr/bin/python3 - "$moe" "$torch" <<'PY'
import json, statistics, sys
moe = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
torch = [json.loads(l) for l in sys.argv[2].splitlines() if l.strip()]
diffs = []
for m, t in zip(moe, torch):
    diffs.append(m["accuracy"] - t["accuracy"])
    print(f"seed {m['seed']}: moe {m['accuracy']:.3f}, pytorch {t['accuracy']:.3f}")
ma = statistics.mean(m["accuracy"] for m in moe)
ta = statistics.mean(t["accuracy"] for t in torch)
sd = statistics.stdev(diffs) if len(diffs) > 1 else 0.0
print(f"mean over {len(diffs)} seeds: moe {ma:.4f}, pytorch {ta:.4f}; "
      f"moe - pytorch {statistics.mean(diffs):+.4f} (std of the paired differences {sd:.4f}, "
      f"standard error {sd / len(diffs) ** 0.5:.4f})")
PY
