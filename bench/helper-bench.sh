#!/usr/bin/env bash
# The job-side helper's cost, side by side with baselines, in one hyperfine run:
#   /bin/true, python3 -c pass, vigil-job --version,
#   vigil-job checkpoint (a fresh post, and an idempotent re-post),
#   vigil-job decision (a decided checkpoint, and a pending one).
# Every timed run's exit code is checked, and the results are checked before
# and after timing (the request parses, decision prints the chosen option).
#
#   bench/helper-bench.sh [--runs N] [--markdown FILE]
# VIGIL_JOB: the binary to measure (default build/helper/vigil-job).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
JOB="${VIGIL_JOB:-$ROOT/build/helper/vigil-job}"
RUNS=200
MARKDOWN=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --markdown) MARKDOWN="$2"; shift 2 ;;
        *) echo "usage: $0 [--runs N] [--markdown FILE]" >&2; exit 2 ;;
    esac
done

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
[ -x "$JOB" ] || die "no vigil-job at $JOB (build it, or set VIGIL_JOB)"
command -v hyperfine >/dev/null || die "hyperfine is not installed (apt-get install hyperfine)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
RUN="$WORK/run"

# A run directory with a metrics file, a decided and a pending checkpoint.
"$JOB" init-run --run-dir "$RUN" --run-id bench-run --workflow-name bench >/dev/null
printf 'epoch,loss,acc\n1,0.91,0.52\n2,0.74,0.61\n3,0.62,0.66\n' > "$RUN/metrics.csv"
POST=(checkpoint --run-dir "$RUN" --title "Keep training?" --body "Loss is falling."
      --option continue=Continue --option stop=Stop --option retrain="Retrain, lower lr"
      --default continue --deadline 1h
      --param 'lr:number=0.001,min=0,max=1' --param 'epochs:integer=10,min=1,max=1000'
      --metrics 'metrics.csv,x=epoch,columns=loss:acc')
"$JOB" "${POST[@]}" --id decided >/dev/null
"$JOB" "${POST[@]}" --id pending >/dev/null
"$JOB" "${POST[@]}" --id repost >/dev/null
nonce=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nonce"])' \
        "$RUN/checkpoints/decided/request.json")
# A human decision as the desktop writes it (the file's owner is the job owner,
# an allowed approver when the request names none).
cat > "$RUN/checkpoints/decided/decision.json" <<JSON
{"checkpoint":"decided","client_host":"laptop","comment":"try a lower rate",
 "decided_at":"2025-01-01T00:00:00Z","decided_by":"$(id -un)",
 "decision_id":"0123456789abcdef0123456789abcdef","evidence_sha256":"",
 "format":{"name":"vigil.decision","version":"1.0"},"kind":"human",
 "nonce":"$nonce","option":"retrain","params":{"lr":0.0005}}
JSON
chmod 600 "$RUN/checkpoints/decided/decision.json"

check_results() {
    local out rc
    # A fresh post: the request exists, is valid JSON, and the helper reads it back as pending.
    rm -rf "$RUN/checkpoints/fresh"
    "$JOB" "${POST[@]}" --id fresh >"$WORK/post.out" || die "checkpoint failed"
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["id"]=="fresh" and len(r["options"])==3' \
        "$RUN/checkpoints/fresh/request.json" || die "request.json of a fresh post does not parse"
    grep -q '"existing":false' "$WORK/post.out" || die "a fresh post was not reported as new: $(cat "$WORK/post.out")"
    "$JOB" "${POST[@]}" --id repost >"$WORK/repost.out" || die "re-post failed"
    grep -q '"existing":true' "$WORK/repost.out" || die "a re-post was not idempotent: $(cat "$WORK/repost.out")"
    set +e
    out=$("$JOB" decision --run-dir "$RUN" --id decided); rc=$?
    set -e
    [ "$rc" -eq 0 ] && [ "$out" = retrain ] || die "decision on a decided checkpoint: exit $rc, printed '$out' (want 0, retrain)"
    set +e
    out=$("$JOB" decision --run-dir "$RUN" --id pending); rc=$?
    set -e
    [ "$rc" -eq 3 ] && [ -z "$out" ] || die "decision on a pending checkpoint: exit $rc, printed '$out' (want 3, nothing)"
}
check_results

# The same fresh post on tmpfs, where fsync costs nothing: the difference from
# the row above is what the two fsyncs of an atomic write cost on this disk.
SHM="$(mktemp -d /dev/shm/vigil-bench.XXXXXX 2>/dev/null || mktemp -d)"
trap 'rm -rf "$WORK" "$SHM"' EXIT
"$JOB" init-run --run-dir "$SHM/run" --run-id bench-run --workflow-name bench >/dev/null
cp "$RUN/metrics.csv" "$SHM/run/"
SHM_POST=("${POST[@]}")
SHM_POST[2]="$SHM/run"
[ "${POST[1]}" = --run-dir ] || die "internal: POST[1] is not --run-dir"
SHM_FS=$(df --output=fstype "$SHM" | tail -1)
DISK_FS=$(df --output=fstype "$WORK" | tail -1)
# The size the binary would have once stripped (an installed copy need not carry
# its debug information).
cp "$JOB" "$WORK/vigil-job.stripped" && strip "$WORK/vigil-job.stripped"

# -N: no intermediate shell; each command is fork+exec'd directly. The fresh
# post removes its checkpoint before each timed run (not timed).
hyperfine -N --warmup 20 --runs "$RUNS" -i --export-json "$WORK/result.json" --style basic \
    --prepare true --prepare true --prepare true \
    --prepare "rm -rf $RUN/checkpoints/fresh" --prepare "rm -rf $SHM/run/checkpoints/fresh" \
    --prepare true --prepare true --prepare true \
    -n '/bin/true' /bin/true \
    -n 'python3 -c pass' 'python3 -c pass' \
    -n 'vigil-job --version' "$JOB --version" \
    -n "vigil-job checkpoint (new, $DISK_FS)" "$(printf '%q ' "$JOB" "${POST[@]}" --id fresh)" \
    -n "vigil-job checkpoint (new, $SHM_FS)" "$(printf '%q ' "$JOB" "${SHM_POST[@]}" --id fresh)" \
    -n 'vigil-job checkpoint (re-post)' "$(printf '%q ' "$JOB" "${POST[@]}" --id repost)" \
    -n 'vigil-job decision (decided)' "$JOB decision --run-dir $RUN --id decided" \
    -n 'vigil-job decision (pending)' "$JOB decision --run-dir $RUN --id pending" \
    >"$WORK/hyperfine.log" 2>&1 || { cat "$WORK/hyperfine.log" >&2; die "hyperfine failed"; }
check_results
[ -f "$SHM/run/checkpoints/fresh/request.json" ] || die "no request.json after the tmpfs posts"

python3 - "$WORK/result.json" "$JOB" "$RUNS" "$MARKDOWN" "$WORK/vigil-job.stripped" <<'PY'
import json, os, platform, statistics, subprocess, sys, time
result, job, runs, markdown, stripped = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
want_exit = {"vigil-job decision (pending)": 3}
rows, bad = [], []
for r in json.load(open(result))["results"]:
    t = sorted(x * 1000 for x in r["times"])
    codes = r.get("exit_codes") or []
    want = want_exit.get(r["command"], 0)
    wrong = sum(1 for c in codes if c != want)
    if wrong or not codes:
        bad.append(f'{r["command"]}: {wrong} of {len(codes)} runs exited otherwise than {want}')
    p95 = t[min(len(t) - 1, int(round(0.95 * (len(t) - 1))))]
    rows.append((r["command"], statistics.median(t), p95, t[0], r["mean"] * 1000, len(t)))
size = os.stat(job).st_size
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
load = open("/proc/loadavg").read().split()[:3]
static = "static" if b"statically linked" in subprocess.run(["file", job], capture_output=True).stdout else "see `file`"
lines = [
    f"Command: `{' '.join(['bench/helper-bench.sh'] + (['--runs', str(runs)] if runs != 200 else []))}`"
    " (run by `./dev bench`).",
    "",
    f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} on {platform.node()}: {os.cpu_count()} CPUs "
    f"(`nproc`), {cpu}; load average {' '.join(load)} at the end of the run.",
    "",
    f"{runs} timed runs per command after 20 warm-up runs, `hyperfine -N` (no shell); "
    "every run's exit code checked (0, and 3 for the pending decision).",
    "",
    "| command | median ms | p95 ms | min ms | mean ms | runs |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
] + [f"| {n} | {m:.2f} | {p:.2f} | {lo:.2f} | {mean:.2f} | {k} |" for n, m, p, lo, mean, k in rows] + [
    "",
    f"vigil-job binary: {size} bytes ({size / 1048576:.2f} MiB), {static} (`stat -c %s {os.path.relpath(job)}`); "
    f"{os.stat(stripped).st_size} bytes ({os.stat(stripped).st_size / 1048576:.2f} MiB) once stripped (`strip`).",
]
text = "\n".join(lines)
print(text)
if markdown:
    # Only the part between the markers is replaced: the rest of the page is prose.
    begin, end = "<!-- bench:helper:begin -->", "<!-- bench:helper:end -->"
    block = f"{begin}\n{text}\n{end}"
    old = open(markdown).read() if os.path.exists(markdown) else ""
    if begin in old and end in old:
        new = old[: old.index(begin)] + block + old[old.index(end) + len(end):]
    else:
        new = old + ("\n" if old else "") + block + "\n"
    open(markdown, "w").write(new)
if bad:
    print("\n".join("bench: wrong result: " + b for b in bad), file=sys.stderr)
    sys.exit(1)
PY
