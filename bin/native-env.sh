# Sourced by ./moe and the benchmark scripts: the native settings moe runs fastest with, read off this machine.
# Each is exported only for moe's own JVM; `moe doctor` prints what was chosen and why (MOE_NATIVE_NOTE).
#
# OPENBLAS_CORETYPE: ND4J's OpenBLAS (0.3.19) does not recognise recent processors and falls back to slow
#   kernels. The fastest kernel family this processor can run is chosen from its flags: SKYLAKEX needs
#   AVX-512 (F, CD, BW, DQ, VL), HASWELL needs AVX2 and FMA; otherwise OpenBLAS decides. This overrides an
#   inherited OPENBLAS_CORETYPE (the note says which); MOE_OPENBLAS_CORETYPE=NAME forces one instead.
#   (MOE_CPUINFO names another cpuinfo file: for tests.)
# OMP_NUM_THREADS (unless set): 1. ND4J's OpenMP ops are not in moe's hot loops, and their spinning threads
#   competed with the JVM's (seed training 2x slower on 2 cores). ND4J gives OpenBLAS as many threads: one
#   thread per product was faster on moe's shapes than two (seed training 3.5 vs 3.7-4.1 s, inference 1.07M vs
#   0.8M rows/s on 2 cores); moe uses more cores by scoring blocks of rows on several threads instead.
moe_native_env() {
  local flags core reason
  # No flags line (another architecture) or no cpuinfo (another system): no flags, and no failure under set -e.
  flags=" $(grep -m1 '^flags' "${MOE_CPUINFO:-/proc/cpuinfo}" 2>/dev/null | cut -d: -f2 || true) "
  has() { local f; for f in "$@"; do [[ "$flags" == *" $f "* ]] || return 1; done; }
  if [[ -n "${MOE_OPENBLAS_CORETYPE:-}" ]]; then
    core="$MOE_OPENBLAS_CORETYPE"; reason="MOE_OPENBLAS_CORETYPE"
  elif has avx512f avx512cd avx512bw avx512dq avx512vl; then
    core=SKYLAKEX; reason="the processor has AVX-512"
  elif has avx2 fma; then
    core=HASWELL; reason="the processor has AVX2 and FMA"
  else
    core=""; reason=""
  fi
  local note
  if [[ -n "$core" ]]; then
    note="OPENBLAS_CORETYPE=$core ($reason"
    if [[ -n "${OPENBLAS_CORETYPE:-}" && "${OPENBLAS_CORETYPE^^}" != "${core^^}" ]]; then
      note+="; replaced the inherited $OPENBLAS_CORETYPE"
    fi
    note+=")"
    export OPENBLAS_CORETYPE="$core"
  else
    note="OPENBLAS_CORETYPE ${OPENBLAS_CORETYPE:-unset} (no AVX2 found: left to OpenBLAS)"
  fi
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
  export MOE_NATIVE_NOTE="$note; OMP_NUM_THREADS=$OMP_NUM_THREADS"
  unset -f has
}
