#!/usr/bin/env bash
# The defaults with two or three experts instead of five (bench/lineups.py writes the configs): the public
# benchmark's seven small sets and four small held-out sets, each in four line-ups, 5 repeats, then one table.
#   OUT=DIR bench/lineups.sh                      # all 44 (about 10 minutes on 2 cores)
#   OUT=DIR bench/lineups.sh examples/benchmarks/glass.yaml ...
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -z "${REPEAT:-}" || "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "lineups: REPEAT must be a positive whole number, not '$REPEAT'" >&2; exit 2; }
out="${OUT:-$(mktemp -d -t moe-lineups.XXXXXX)}"
if [[ -n "${OUT:-}" ]]; then
  [[ -e "$out" ]] && { echo "lineups: $out exists; name a new folder" >&2; exit 2; }
  mkdir -p "$out"
fi
if [[ $# -eq 0 ]]; then
  set -- examples/benchmarks/{glass,iris,wine,sonar,pima,vehicle,vowel}.yaml \
    examples/benchmarks/held-out/{breast-cancer,wdbc,ionosphere,zoo}.yaml
fi
python3 bench/lineups.py "$out/configs" "$@"
./moe --version >/dev/null  # builds once, before the clock starts
start=$(date +%s)
names=()
for config in "$out"/configs/*.yaml; do
  name="$(basename "$config" .yaml)"
  names+=("$name")
  t0=$(date +%s)
  ./moe evaluate "$config" ${REPEAT:+--repeat "$REPEAT"} --quiet --json "$out/$name.json" > "$out/$name.txt"
  echo "$(( $(date +%s) - t0 ))" > "$out/$name.seconds"
  echo "lineups: $name done in $(cat "$out/$name.seconds") s" >&2
done
echo "lineups: all done in $(( $(date +%s) - start )) s; reports in $out" >&2
python3 bench/benchmark_table.py "$out" "${names[@]}"
