#!/usr/bin/env bash
# The seed experiment in moe and in PyTorch on this machine, side by side: training seconds, inference
# rows/s on 200k rows (the first pass after one warm-up batch, and warm: the fastest of ten more passes), accuracy,
# and the ratios. Needs Debian's python3-torch and libopenblas0-pthread:
#   apt-get install -y python3-torch libopenblas0-pthread
# Usage: [PYTORCH_TUNED=1] [PYTORCH_THREADS=N] bench/seed-vs-pytorch.sh [article|linear|finetune [SEEDS]]
# (the gate, default article; finetune: the article's gate trained jointly with its experts; with SEEDS > 1 both
# also train with seeds 43.. and the accuracy line compares the means over SEEDS seeds; PYTORCH_THREADS: PyTorch's
# thread count, default 2; PYTORCH_TUNED=1 PYTORCH_THREADS=1 is its best setting on this 2-core machine)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
gate="${1:-article}"
seeds="${2:-1}"
threads="${PYTORCH_THREADS:-2}"
source bench/common.sh
bench_setup "$gate"
# moe with the native settings ./moe chooses (bin/native-env.sh); PyTorch with this machine's environment as it is.
moe=$(source bin/native-env.sh && moe_native_env \
  && java -cp "$jar:moe-bench/target/lib/*" dev.moe.bench.SeedBenchmark "$config" 200000 "$seeds")
# PYTORCH_TUNED=1: PyTorch with the settings that suit it best here, as moe gets its own: OpenMP threads that
# sleep rather than spin while waiting (they competed for the 2 cores), and OpenBLAS's own kernel choice.
if [[ "${PYTORCH_TUNED:-0}" == 1 ]]; then
  torch=$(env -u OPENBLAS_CORETYPE OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads" \
    /usr/bin/python3 bench/seed_pytorch.py --threads "$threads" --seeds "$seeds" "${torch_args[@]}")
else
  torch=$(OMP_NUM_THREADS="$threads" /usr/bin/python3 bench/seed_pytorch.py --threads "$threads" --seeds "$seeds" "${torch_args[@]}")
fi
echo "$moe"
echo "$torch"
/usr/bin/python3 - "$moe" "$torch" <<'PY'
import json, sys
m, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"training:  moe {m['train_seconds']:.2f} s, pytorch {t['train_seconds']:.2f} s: moe is {t['train_seconds'] / m['train_seconds']:.2f}x as fast")
print(f"inference: moe {m['infer_rows_per_second']} rows/s, pytorch {t['infer_rows_per_second']} rows/s: {m['infer_rows_per_second'] / t['infer_rows_per_second']:.2f}x")
print(f"inference, warm: moe {m['infer_warm_rows_per_second']} rows/s, pytorch {t['infer_warm_rows_per_second']} rows/s: "
      f"{m['infer_warm_rows_per_second'] / t['infer_warm_rows_per_second']:.2f}x")
print(f"accuracy:  moe {m['accuracy']:.3f}, pytorch {t['accuracy']:.3f} (seed 42)")
if "accuracy_mean" in m:
    print(f"accuracy over {m['seeds']} seeds: moe {m['accuracy_mean']:.3f} ± {m['accuracy_std']:.3f}, "
          f"pytorch {t['accuracy_mean']:.3f} ± {t['accuracy_std']:.3f}")
PY
