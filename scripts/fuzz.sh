#!/usr/bin/env bash
# Runs one cargo-fuzz target for a given time, seeded with the bundled examples and fixtures.
#
#   scripts/fuzz.sh TARGET SECONDS [extra libFuzzer options...]
#
# TARGET is `loader` (bytes → classify → YAML and JSON parsers) or `pipeline` (bytes → a file →
# the whole check → every output format). See CONTRIBUTING.md, "Fuzzing".
#
# Where things go (all ignored by git):
#   fuzz/seeds/TARGET/      seed corpus, rebuilt from examples/ and rules/fixtures/ on each run
#   fuzz/corpus/TARGET/     the growing corpus (kept between runs; delete it to start afresh)
#   fuzz/artifacts/TARGET/  crash-*, timeout-*, oom-* inputs that libFuzzer found
#
# Toolchain: cargo-fuzz needs a nightly compiler. The script uses `+nightly` when rustup has a
# nightly toolchain, else the stable one with RUSTC_BOOTSTRAP=1. Override with FUZZ_TOOLCHAIN.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
    echo "usage: $0 TARGET SECONDS [libFuzzer options...]   (TARGET: loader, pipeline)" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2
case "$target" in
    loader | pipeline) ;;
    *)
        echo "unknown target '$target' (loader, pipeline)" >&2
        exit 2
        ;;
esac

if ! cargo fuzz --help > /dev/null 2>&1; then
    echo "cargo-fuzz is not installed: cargo install cargo-fuzz --locked" >&2
    exit 2
fi

toolchain=()
if [ -n "${FUZZ_TOOLCHAIN:-}" ]; then
    toolchain=("+$FUZZ_TOOLCHAIN")
elif rustup toolchain list 2> /dev/null | grep -q '^nightly'; then
    toolchain=(+nightly)
else
    echo "no nightly toolchain: using stable with RUSTC_BOOTSTRAP=1" >&2
    export RUSTC_BOOTSTRAP=1
fi

# The seed corpus: every YAML and JSON file of examples/ and rules/fixtures/. The pipeline
# target reads its first byte as the file-name selector (0: .yaml, 1: .yml, 2: .json).
seeds=fuzz/seeds/$target
corpus=fuzz/corpus/$target
artifacts=fuzz/artifacts/$target
rm -rf "$seeds"
mkdir -p "$seeds" "$corpus" "$artifacts"
n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    out=$seeds/seed-$n
    if [ "$target" = pipeline ]; then
        case "$f" in
            *.json) printf '\002' > "$out" ;;
            *.yml) printf '\001' > "$out" ;;
            *) printf '\000' > "$out" ;;
        esac
        cat "$f" >> "$out"
    else
        cp "$f" "$out"
    fi
done < <(find examples rules/fixtures -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 | sort -z)
echo "seeded $n inputs into $seeds; corpus $corpus; artifacts $artifacts" >&2

# -timeout: one input taking more than 10 s is a hang; -rss_limit_mb: a blow-up of memory is a bug.
# -detect_leaks=0: the pipeline's rayon pool does not join its worker when it is dropped, so
# LeakSanitizer sometimes sees the exiting thread's 64-byte TLS destructor list as a leak; a leak
# is not what these targets hunt, and the false report would end the run.
exec cargo "${toolchain[@]}" fuzz run --fuzz-dir fuzz "$target" "$corpus" "$seeds" -- \
    -max_total_time="$seconds" \
    -max_len="${FUZZ_MAX_LEN:-16384}" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -detect_leaks=0 \
    -dict=fuzz/bridgelint.dict \
    -artifact_prefix="$artifacts/" \
    -print_final_stats=1 \
    "$@"
