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
source bench/common.sh
bench_setup "$gate"
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
