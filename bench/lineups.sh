#!/usr/bin/env bash
# The defaults with two or three experts instead of five: bench/lineups.py writes the line-up configs (the public
# benchmark's seven small sets and four small held-out sets, each in four line-ups) into a new temporary folder, and
# bench/benchmark.sh runs them (OUT and REPEAT as there) and prints one table.
#   OUT=DIR bench/lineups.sh                      # all 44 (about 2 minutes on a quiet 2-core machine)
#   OUT=DIR bench/lineups.sh examples/benchmarks/glass.yaml ...
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -eq 0 ]]; then
  set -- examples/benchmarks/{glass,iris,wine,sonar,pima,vehicle,vowel}.yaml \
    examples/benchmarks/held-out/{breast-cancer,wdbc,ionosphere,zoo}.yaml
fi
configs="$(mktemp -d -t moe-lineups.XXXXXX)"
python3 bench/lineups.py "$configs" "$@"
echo "lineups: configs in $configs" >&2
bench/benchmark.sh "$configs"/*.yaml
