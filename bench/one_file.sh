#!/usr/bin/env bash
# One-file runs (issue 20, item 6: at most 5 ms on every held-out-style file), two builds
# against each other: instructions (callgrind, repeatable) and wall-clock medians (hyperfine,
# the two builds alternated in each round, since the machine's speed drifts).
#
#   bench/one_file.sh OLD_BINARY NEW_BINARY [ROUNDS] [RUNS]
#
# The cases: every file of examples/ alone (`--no-context`: the examples config and its two
# custom rules still load) and inside the examples project (its context parsed, since it has
# custom rules), a corpus-style integration holding a `github_pat_` token (`--no-context
# --no-config`), every example file named in a folder of them outside any project (no config),
# and `--version` (process start, the floor). Writes a Markdown table to stdout;
# the raw results go to bench/out/one-file/. CPU is hyperfine's mean user + system time of a
# round (median over the rounds): on a loaded machine, where the wall time is mostly waiting
# for a core, it says what a run costs. Needs valgrind, hyperfine and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=$1
NEW=$2
ROUNDS=${3:-3}
RUNS=${4:-40}
OUT=bench/out/one-file
NOW=2026-11-27
mkdir -p "$OUT"
for tool in valgrind hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
done

# A clean integration (the shape of the corpus files) with a fine-grained GitHub token in a
# comment: the credential pattern whose prefix occurs is compiled in the run.
TOKEN_FILE=$OUT/token.yaml
sed -n '1,200p' examples/integrations/jira-ado-platform-prod.yaml >"$TOKEN_FILE"
printf '# old token: github_pat_%s\n' "$(printf 'A%.0s' $(seq 82))" >>"$TOKEN_FILE"

cases=()
for f in examples/integrations/* examples/legacy/* examples/accounts/*; do
    cases+=("alone: ${f#examples/}|--no-context $f")
    cases+=("in examples/: ${f#examples/}|$f")
done
cases+=("token file, --no-context --no-config|--no-context --no-config $TOKEN_FILE")

# A held-out-style folder: the example files side by side in a folder of their own, outside
# any project (no config, no custom rules), each file named in turn as a pre-commit hook or an
# editor names it (the files it relates to are parsed).
HELD_OUT=$(mktemp -d "${TMPDIR:-/tmp}/bridgelint-held-out.XXXXXX")
trap 'rm -rf "$HELD_OUT"' EXIT
cp examples/integrations/* examples/legacy/* examples/accounts/* "$HELD_OUT"
for f in "$HELD_OUT"/*; do
    cases+=("held-out folder: ${f##*/}|$f")
done

instructions() { # BINARY ARGS...: instructions of one run, all threads
    local bin=$1
    shift
    # The run's status is its findings' (1), not a failure of the measurement.
    # shellcheck disable=SC2068
    { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" $@ 2>&1 >/dev/null || true; } |
        sed -n 's/.*refs: *//p' | tr -d ,
}

echo "| case | instructions old → new (M) | wall medians old → new, per round (ms) | median new (ms) | CPU (user + sys) old → new (ms) |"
echo "|---|---|---|---|---|"
run_case() { # NAME ARGS
    local name=$1 args=$2 io in pairs=()
    # shellcheck disable=SC2086
    io=$(instructions "$OLD" $args)
    # shellcheck disable=SC2086
    in=$(instructions "$NEW" $args)
    for ((r = 1; r <= ROUNDS; r++)); do
        hyperfine -N --style none --warmup 3 --runs "$RUNS" -i --export-json "$OUT/round.json" \
            "$OLD $args" "$NEW $args" >/dev/null 2>&1
        pairs+=("$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(*(x[k] for k in ("median", "user", "system") for x in r))' "$OUT/round.json")")
    done
    printf '%s\n' "${pairs[@]}" | python3 -c '
import sys, statistics
name, io, inew = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
shown = ", ".join(f"{r[0] * 1000:.2f} → {r[1] * 1000:.2f}" for r in rows)
cpu = lambda i: statistics.median(r[2 + i] + r[4 + i] for r in rows) * 1000
print(f"| {name} | {io / 1e6:.1f} → {inew / 1e6:.1f} | {shown} | {statistics.median(r[1] for r in rows) * 1000:.2f} | {cpu(0):.2f} → {cpu(1):.2f} |")' \
        "$name" "$io" "$in"
}
run_case "--version (process start)" "--version"
for c in "${cases[@]}"; do
    run_case "${c%%|*}" "check --now $NOW --format compact ${c#*|}"
done
