#!/usr/bin/env bash
# moe against what a user would glue together by hand in scikit-learn, on the very rows moe used: the public
# benchmark's configs run through bench/benchmark.sh (moe's JSON reports), moe-bench's PeerSplits writes each
# repeat's training and test rows, and bench/peers.py trains scikit-learn's counterparts of the experts, its soft
# vote and its stacking on them and prints one table (paired differences over the repeats). Needs Debian's
# python3-sklearn and python3-xgboost for /usr/bin/python3; a benchmark, not a test (CI has no Python).
#
#   bench/peers.sh                    # the 13 public configs
#   bench/peers.sh glass vehicle      # some of them; `held-out` for the held-out sets (names as benchmark.sh's)
#   REPORTS=DIR bench/peers.sh        # moe's side from an earlier `OUT=DIR bench/benchmark.sh` run of the same
#                                     # configs (same code, seeds and repeats), instead of running it again
#   OUT=DIR bench/peers.sh            # keep moe's reports, the rows and the table in DIR (must not exist yet)
#   REPEAT=20 bench/peers.sh glass    # 20 repeats (seeds 42..61) on both sides instead of each config's 5
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 -c 'import sklearn, xgboost' 2>/dev/null \
  || { echo "peers: /usr/bin/python3 needs scikit-learn and xgboost (Debian: python3-sklearn python3-xgboost)" >&2; exit 2; }
out="${OUT:-$(mktemp -d -t moe-peers.XXXXXX)}"
if [[ -n "${OUT:-}" ]]; then
  [[ -e "$out" ]] && { echo "peers: $out exists; name a new folder" >&2; exit 2; }
  mkdir -p "$out"
fi
# The configs' names, as bench/benchmark.sh reads them (a folder stands for its configs).
configs_in() { ls "examples/benchmarks/${1:+$1/}"*.yaml | sed 's|^examples/benchmarks/||; s/\.yaml$//'; }
names=()
if [[ $# -eq 0 ]]; then names=($(configs_in "")); fi
for name in "$@"; do
  if [[ -d "examples/benchmarks/$name" ]]; then names+=($(configs_in "$name")); else names+=("$name"); fi
done

if [[ -n "${REPORTS:-}" ]]; then
  reports="$REPORTS"
else
  reports="$out/moe"
  start=$(date +%s)
  OUT="$reports" bench/benchmark.sh "${names[@]}" > "$out/moe-table.md"
  echo "peers: moe's side (bench/benchmark.sh, build excluded) took $(( $(date +%s) - start )) s" >&2
fi

# moe-bench, built when older than any module's sources (as bench/common.sh does for the seed benchmarks).
jar=moe-bench/target/moe-bench-0.1.0-SNAPSHOT.jar
if [[ ! -f "$jar" || -n "$(find pom.xml moe-*/pom.xml moe-*/src/main moe-experts/*/pom.xml moe-experts/*/src/main \
      -newer "$jar" -print -quit)" ]]; then
  started="$(mktemp)"
  mvn -B -q -DskipTests package -pl moe-bench -am >&2
  touch -r "$started" "$jar"
  rm -f "$started"
fi
pairs=()
for name in "${names[@]}"; do pairs+=("$name=examples/benchmarks/$name.yaml"); done
(source bin/native-env.sh && moe_native_env && java ${REPEAT:+-Dmoe.repeat="$REPEAT"} -cp "$jar:moe-bench/target/lib/*" dev.moe.bench.PeerSplits "$out/rows" "${pairs[@]}")

start=$(date +%s)
# One thread for BLAS as for XGBoost: each side's experts train one at a time.
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers.py "$out/rows" "$reports" "${names[@]}" | tee "$out/peers-table.md"
echo "peers: scikit-learn's side took $(( $(date +%s) - start )) s; everything in $out" >&2
