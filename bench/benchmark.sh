#!/usr/bin/env bash
# The public benchmark: every config in examples/benchmarks/ (or the ones named), run through `./moe evaluate`
# with the gate and routing at their defaults, and one table of the results. Each run's JSON report is kept in
# the output folder (default: a new temporary one), so the table can be made again without running anything.
#
#   bench/benchmark.sh                       # all configs
#   bench/benchmark.sh glass vehicle         # some of them
#   bench/benchmark.sh held-out              # the held-out sets (examples/benchmarks/held-out/), never used to
#                                            # choose a default; held-out/spam names one of them
#   bench/benchmark.sh DIR/x.yaml            # a config file by its path (its report is named x)
#   OUT=results bench/benchmark.sh           # keep the reports in ./results (must not exist yet)
#   REPEAT=20 bench/benchmark.sh             # 20 repeats (seeds 42..61) instead of each config's 5
#   OUTPUTS=1 OUT=results bench/benchmark.sh # also each config's rows (moe evaluate --outputs), as NAME.outputs.csv
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -z "${REPEAT:-}" || "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "benchmark: REPEAT must be a positive whole number, not '$REPEAT'" >&2; exit 2; }
out="${OUT:-$(mktemp -d -t moe-benchmark.XXXXXX)}"
if [[ -n "${OUT:-}" ]]; then
  [[ -e "$out" ]] && { echo "benchmark: $out exists; name a new folder" >&2; exit 2; }
  mkdir -p "$out"
fi
# A config's name is its path under examples/benchmarks/ without .yaml; a folder's name stands for its configs.
configs_in() { ls "examples/benchmarks/${1:+$1/}"*.yaml | sed 's|^examples/benchmarks/||; s/\.yaml$//'; }
if [[ $# -eq 0 ]]; then
  set -- $(configs_in "")
else
  names=()
  for name in "$@"; do
    if [[ -d "examples/benchmarks/$name" ]]; then names+=($(configs_in "$name")); else names+=("$name"); fi
  done
  set -- "${names[@]}"
fi
./moe --version >/dev/null  # builds once, before the clock starts
start=$(date +%s)
reports=()
for name in "$@"; do
  if [[ "$name" == *.yaml ]]; then
    # A config file named by its path (bench/lineups.sh's): its report takes the file's name.
    config="$name"
    name="$(basename "$name" .yaml)"
  else
    config="examples/benchmarks/$name.yaml"
  fi
  reports+=("$name")
  [[ -f "$config" ]] || { echo "benchmark: no $config" >&2; exit 2; }
  mkdir -p "$(dirname "$out/$name")"
  t0=$(date +%s)
  ./moe evaluate "$config" ${REPEAT:+--repeat "$REPEAT"} --quiet --json "$out/$name.json" \
    ${OUTPUTS:+--outputs "$out/$name.outputs.csv"} > "$out/$name.txt"
  echo "$(( $(date +%s) - t0 ))" > "$out/$name.seconds"
  echo "benchmark: $name done in $(cat "$out/$name.seconds") s" >&2
done
echo "benchmark: all done in $(( $(date +%s) - start )) s; reports in $out" >&2
python3 bench/benchmark_table.py "$out" "${reports[@]}"
