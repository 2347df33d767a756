# Sourced by ./moe and the benchmark scripts: the native settings moe runs fastest with, read off this machine.
# Each is exported only for moe's own JVM; `moe doctor` prints what was chosen and why (MOE_NATIVE_NOTE).
#
# OPENBLAS_CORETYPE: ND4J's OpenBLAS (0.3.19) does not recognise recent processors and falls back to slow
#   kernels. The fastest kernel family this processor can run is chosen from its flags: SKYLAKEX needs
#   AVX-512 (F, CD, BW, DQ, VL), HASWELL needs AVX2 and FMA; otherwise OpenBLAS decides. This overrides an
#   inherited OPENBLAS_CORETYPE (the note says which); MOE_OPENBLAS_CORETYPE=NAME forces one instead.
# OMP_NUM_THREADS (unless set): 1. ND4J's OpenMP ops are not in moe's hot loops; their spinning threads
#   competed with the JVM's on small machines (seed training 2x slower on 2 cores).
# OpenBLAS threads (unless OPENBLAS_NUM_THREADS is set): one per core. ND4J_SKIP_BLAS_THREADS stops ND4J from
#   setting them to OMP_NUM_THREADS.
moe_native_env() {
  local flags core reason
  flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
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
  if [[ -z "${OPENBLAS_NUM_THREADS:-}" ]]; then
    export OPENBLAS_NUM_THREADS="$(nproc 2>/dev/null || echo 1)"
    export ND4J_SKIP_BLAS_THREADS=1
  fi
  export MOE_NATIVE_NOTE="$note, OMP_NUM_THREADS=$OMP_NUM_THREADS, OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS (bin/native-env.sh)"
}
