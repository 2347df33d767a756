#!/usr/bin/env bash
# Scoring throughput of a saved mixture: `moe predict` (one process) against Spark local[2] (`--engine spark`) and a
# standalone cluster on this machine (a master and two 1-core workers, each executor its own JVM, as in moe-spark's
# cluster tests), submitted with the README's spark-submit line. Whole-command wall time, median of RUNS, and rows/s;
# the cluster's time includes starting its executors and shipping moe's jars to them (the job alone is printed too).
#
# Usage: bench/spark-throughput.sh [ROWS (1000000)] [RUNS (3)]
# Needs: mvn -B -DskipTests package -pl moe-cli,moe-spark -am (or mvn -B verify) first; /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
runs="${2:-3}"
dist=moe-spark/target/spark-distribution.classpath
for f in moe-cli/target/moe-cli.jar moe-spark/target/moe-spark-0.1.0-SNAPSHOT.jar "$dist"; do
  [[ -f "$f" ]] || { echo "missing $f: run mvn -B -DskipTests package -pl moe-cli,moe-spark -am first" >&2; exit 2; }
done
source bin/native-env.sh
moe_native_env
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

./moe train examples/seed-experiment.yaml -o "$work/model.moe" -q >/dev/null
/usr/bin/python3 bench/seed_csv.py "$rows" "$work/data.csv"
echo "rows $rows; bundle $(stat -c %s "$work/model.moe") bytes; moe's jars shipped per executor: $(du -sm moe-spark/target/submit-lib | cut -f1) MiB"

# A standalone cluster from the jars Maven resolved: SPARK_HOME/jars holds Spark's, not moe's.
home="$work/spark-home"; mkdir -p "$home/jars" "$home/logs"
tr ':' '\n' < "$dist" | while read -r jar; do ln -sf "$jar" "$home/jars/"; done
opens="$(tr -s ' \n' ' ' < moe-spark/target/java-flags.txt)"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"; ui="$(free_port)"
export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2086
java -Xmx256m $opens -cp "$(cat "$dist")" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port "$ui" >"$home/logs/master.log" 2>&1 & pids+=($!)
for i in 1 2; do
  # shellcheck disable=SC2086
  env -u OPENBLAS_CORETYPE java -Xmx256m $opens -cp "$(cat "$dist")" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
    --webui-port 0 --cores 1 --memory 1200m --work-dir "$home/work-$i" "spark://127.0.0.1:$port" >"$home/logs/worker-$i.log" 2>&1 & pids+=($!)
done
for _ in $(seq 240); do
  curl -s "http://127.0.0.1:$ui/json/" | tr -d ' ' | grep -q '"aliveworkers":2' && break
  sleep 0.5
done
spark_submit() {
  # shellcheck disable=SC2086
  java -Xmx1g $opens -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit "$@"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
time_runs() {  # label, then the command
  local label="$1"; shift
  local times=() last=""
  for _ in $(seq "$runs"); do
    rm -rf "$work/out" "$work/out.csv"
    local start end
    start=$(date +%s.%N)
    last="$("$@" 2>&1)"
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  local m
  m="$(printf '%s\n' "${times[@]}" | median)"
  printf '%-34s %7.1f s  %9.0f rows/s   (runs: %s)\n' "$label" "$m" "$(echo "$rows / $m" | bc -l)" "${times[*]}"
  [[ "$last" == *"predicted "* ]] && echo "    $(grep -o 'predicted.*' <<<"$last" | head -1)"
  return 0
}

cd "$work"
root="$OLDPWD"
time_runs "moe predict" "$root/moe" predict -m model.moe --input data.csv --output out.csv
time_runs "moe predict --engine spark local[2]" "$root/moe" predict -m model.moe --input data.csv --output out --engine spark --master 'local[2]'
ln -s "$root/moe-spark" moe-spark
time_runs "spark-submit, standalone 2 x 1 core" spark_submit --class dev.moe.spark.SparkScoring --master "spark://127.0.0.1:$port" \
  --jars "$(echo moe-spark/target/submit-lib/*.jar | tr ' ' ,)" --conf "spark.executorEnv.OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-}" \
  moe-spark/target/moe-spark-0.1.0-SNAPSHOT.jar predict -m model.moe --input data.csv --output out
