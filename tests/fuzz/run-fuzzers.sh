#!/usr/bin/env bash
# Builds the fuzz targets with clang and runs each for a bounded time.
#   tests/fuzz/run-fuzzers.sh [SECONDS_PER_TARGET] [TARGET...]
#   tests/fuzz/run-fuzzers.sh replay    re-run the inputs kept in tests/fuzz/findings/
# BUILD_DIR (default <repo>/build-fuzz) holds the binaries, the grown corpora
# (BUILD_DIR/corpus/<target>) and the crash files (BUILD_DIR/artifacts/<target>/):
# nothing is written into the source tree. Exits non-zero on any finding.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-fuzz}"
SECONDS_PER_TARGET="${1:-60}"
shift || true
CXX_FUZZ="${CXX_FUZZ:-clang++-14}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    log "configuring the fuzz targets in $BUILD_DIR ($CXX_FUZZ)"
    cmake -S "$HERE" -B "$BUILD_DIR" -G Ninja -DCMAKE_CXX_COMPILER="$CXX_FUZZ" >/dev/null
fi
log "building the fuzz targets"
start=$(date +%s)
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
log "built in $(( $(date +%s) - start )) s"

export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
if [ "$SECONDS_PER_TARGET" = replay ]; then
    shopt -s nullglob # no findings kept: nothing to replay
    status=0
    for dir in "$HERE"/findings/*/; do
        name="$(basename "$dir")"
        for input in "$dir"*; do
            if "$BUILD_DIR/fuzz_$name" "$input" >"$BUILD_DIR/replay.log" 2>&1; then
                echo "passes    $name/$(basename "$input")"
            else
                echo "FAILS     $name/$(basename "$input"): $(grep -m1 -E 'runtime error|invariant broken|ERROR: ' "$BUILD_DIR/replay.log")"
                status=1
            fi
        done
    done
    exit $status
fi

targets=("$@")
[ ${#targets[@]} -eq 0 ] && mapfile -t targets < "$BUILD_DIR/fuzzers.txt"

failed=()
for t in "${targets[@]}"; do
    name="${t#fuzz_}"
    corpus="$BUILD_DIR/corpus/$name"
    artifacts="$BUILD_DIR/artifacts/$name"
    logfile="$BUILD_DIR/logs/$name.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$logfile")"
    # New inputs go to the first directory (the build dir's); the committed
    # seeds are read only.
    if "$BUILD_DIR/fuzz_$name" "$corpus" "$HERE/corpus/$name" \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$logfile" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logfile" | tail -1)
        cov=$(grep -o 'cov: [0-9]*' "$logfile" | tail -1)
        printf '%-14s ok   %8s runs in %s s, %s\n' "$name" "${runs:-?}" "$SECONDS_PER_TARGET" "${cov:-cov: ?}"
    else
        printf '%-14s FAIL (see %s; inputs in %s)\n' "$name" "$logfile" "$artifacts"
        grep -m1 -E 'ERROR: |runtime error|invariant broken|deadly signal' "$logfile" >&2 || true
        failed+=("$name")
    fi
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzz: findings in ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets, no findings"
