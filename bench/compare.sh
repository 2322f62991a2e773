#!/usr/bin/env bash
# Two builds of bridgelint timed against each other, in alternate rounds, on the same corpora:
# the check that a change brings no regression (a refactoring must stay within 5 %). Unlike
# run.sh, which measures one build against its parse floor and Spectral, this one answers
# "is B slower than A?" while the machine's speed drifts, by timing A and B side by side in
# each round and taking the median of the rounds' ratios.
#
#   bench/compare.sh OLD_BINARY NEW_BINARY [ROUNDS]
#
# Build OLD from an earlier commit, e.g.:
#   git worktree add /tmp/old <commit> && (cd /tmp/old && cargo build --release)
#   bench/compare.sh /tmp/old/target/release/bridgelint target/release/bridgelint
#
# Needs hyperfine, GNU time (/usr/bin/time) and python3; corpora from the gen_corpus example
# go to bench/out/ as for run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=$1
NEW=$2
ROUNDS=${3:-3}
OUT=bench/out
NOW=2026-11-27
mkdir -p "$OUT/compare"
for tool in hyperfine /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
done
cargo build --release --quiet --example gen_corpus
for n in 1000 10000 100000; do
    [[ -d "$OUT/corpus-$n" ]] || target/release/examples/gen_corpus "$OUT/corpus-$n" "$n" >/dev/null
done
ONE=examples/integrations/jira-ado-platform-prod.yaml

pair() { # NAME RUNS ARGS...: one round of OLD then NEW; prints "old new" medians
    local name=$1 runs=$2
    shift 2
    hyperfine -N --style none --warmup 1 --runs "$runs" -i --export-json "$OUT/compare/$name.json" \
        "$OLD check --now $NOW --format compact $*" "$NEW check --now $NOW --format compact $*" >/dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(r[0]["median"], r[1]["median"])' \
        "$OUT/compare/$name.json"
}

echo "| case | rounds: old → new (ms) | median new/old |"
echo "|---|---|---|"
for case in "1k:7:$OUT/corpus-1000" "10k:7:$OUT/corpus-10000" "100k:2:$OUT/corpus-100000" \
    "one file --no-context:30:--no-context $ONE" "one file in examples/:30:$ONE"; do
    IFS=: read -r name runs args <<<"$case"
    rounds=()
    for ((r = 1; r <= ROUNDS; r++)); do
        # shellcheck disable=SC2086
        rounds+=("$(pair "round" "$runs" $args)")
    done
    printf '%s\n' "${rounds[@]}" | python3 -c '
import sys, statistics
name = sys.argv[1]
pairs = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
shown = ", ".join(f"{o * 1000:.1f} → {n * 1000:.1f}" for o, n in pairs)
print(f"| {name} | {shown} | {statistics.median(n / o for o, n in pairs):.3f} |")' "$name"
done

echo
echo "| corpus | peak RSS old (MiB) | peak RSS new (MiB) |"
echo "|---|---|---|"
for n in 10000 100000; do
    peak() {
        local best=0 kb
        for _ in 1 2 3; do
            kb=$(/usr/bin/time -f %M "$1" check --now "$NOW" --format compact "$OUT/corpus-$n" 2>&1 >/dev/null | tail -1)
            ((kb > best)) && best=$kb
        done
        python3 -c "print(f'{$best / 1024:.1f}')"
    }
    echo "| $n | $(peak "$OLD") | $(peak "$NEW") |"
done
