# Sourced by the seed benchmark scripts: builds moe-bench when stale and picks the config and PyTorch's
# matching arguments for a gate ("article", "linear", or "finetune": the article's gate with its experts trained
# jointly). Sets: jar, config, torch_args.
bench_setup() {
  local gate="$1"
  jar=moe-bench/target/moe-bench-0.1.0-SNAPSHOT.jar
  # Build when missing or older than any module's sources: a stale jar would time old code.
  if [[ ! -f "$jar" || -n "$(find pom.xml moe-*/pom.xml moe-*/src/main moe-experts/*/pom.xml moe-experts/*/src/main \
        -newer "$jar" -print -quit)" ]]; then
    local started
    started="$(mktemp)"
    mvn -B -q -DskipTests package -pl moe-bench -am >&2
    # Maven keeps the jar as it was when only a module moe-bench does not compile against changed (as ./moe does).
    touch -r "$started" "$jar"
    rm -f "$started"
  fi
  case "$gate" in
    article) config=examples/seed-experiment-article-gate.yaml; torch_args=() ;;
    linear) config=examples/seed-experiment.yaml; torch_args=(--linear-gate --gate-epochs 1000 --gate-lr 0.01) ;;
    finetune) config=bench/seed-article-finetune.yaml; torch_args=(--fine-tune) ;;
    *) echo "unknown gate '$gate': article, linear or finetune" >&2; return 2 ;;
  esac
}

# The A/B scripts' set-up: A's saved build (folder), the config (default the article gate's), moe-bench built when
# stale, and the native settings ./moe uses. Sets: a, config, jar.
ab_setup() {
  a="$1"
  local chosen="${2:-examples/seed-experiment-article-gate.yaml}"
  bench_setup article   # builds moe-bench when stale (and sets its own config: ours is kept)
  config="$chosen"
  source bin/native-env.sh
  moe_native_env
}
