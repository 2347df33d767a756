#!/usr/bin/env bash
# Gate training before/after on a shared machine: GateTrainingRuns with a saved build's moe jars (A) and with this
# checkout's (B), taking turns, then GateTrainingFingerprint on both (the same lines: bit for bit the same training).
# This checkout's moe-bench runs both sides; only the moe modules and libraries under lib/ differ. Save A first:
#   mvn -B -q -DskipTests package -pl moe-bench -am && mkdir -p /tmp/moe-a && cp -r moe-bench/target/lib /tmp/moe-a/
# Usage: bench/gate-ab.sh A_DIR [ROUNDS [RUNS [finetune]]]   (default 4 rounds of 3 timed trainings per side; finetune:
# the three experts fine-tuned with the gate every step, the article's joint training)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
a="$1"
rounds="${2:-4}"
runs="${3:-3}"
mode="${4:-gate}"
source bench/common.sh
bench_setup article >/dev/null
source bin/native-env.sh
moe_native_env
side_cp() { if [[ "$1" == A ]]; then echo "$jar:$a/lib/*"; else echo "$jar:moe-bench/target/lib/*"; fi; }
log=$(mktemp)
for i in $(seq "$rounds"); do
  for side in A B; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    java -cp "$(side_cp $side)" dev.moe.bench.GateTrainingRuns 2000 500 "$runs" "$mode" 2>/dev/null | grep '^wall' \
      | sed "s/^/$side load $load /" | tee -a "$log"
  done
done
python3 - "$log" <<'PY'
import statistics, sys
wall, cpu = {'A': [], 'B': []}, {'A': [], 'B': []}
for line in open(sys.argv[1]):
    f = line.split()
    wall[f[0]].append(float(f[4])); cpu[f[0]].append(float(f[7]))
for s in 'AB':
    print(f"{s}: wall min {min(wall[s]):.2f} median {statistics.median(wall[s]):.2f} s; cpu median {statistics.median(cpu[s]):.2f} s")
print(f"B / A: wall min {min(wall['B']) / min(wall['A']):.3f}, wall median {statistics.median(wall['B']) / statistics.median(wall['A']):.3f}, "
      f"cpu median {statistics.median(cpu['B']) / statistics.median(cpu['A']):.3f}")
PY
rm -f "$log"
for side in A B; do java -cp "$(side_cp $side)" dev.moe.bench.GateTrainingFingerprint 2>/dev/null > "/tmp/gate-fingerprint-$side.txt"; done
if diff /tmp/gate-fingerprint-A.txt /tmp/gate-fingerprint-B.txt; then echo "fingerprints: identical"; else echo "fingerprints: DIFFERENT"; fi
