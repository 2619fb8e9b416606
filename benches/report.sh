#!/usr/bin/env bash
# Benchmark of `rehearse review report` on the release build over generated logs (10,000
# sessions of 20 questions by default, most answers rated, a few with notes): wall time
# and peak memory (max RSS) per run from GNU time, and the size of the page. The goal:
# under 2 s and under 2 MB. Not part of `cargo test`.
#
#   benches/report.sh                 # 10,000 sessions, 5 runs
#   SESSIONS=1000 RUNS=3 benches/report.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SESSIONS=${SESSIONS:-10000}
QUESTIONS=${QUESTIONS:-20}
RUNS=${RUNS:-5}
DIR=${BENCH_DIR:-target/bench-logs/$SESSIONS-$QUESTIONS-reviews}
OUT=${OUT:-target/bench-report.html}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "GNU time ($TIME) is needed: apt-get install time" >&2; exit 1; }

cargo build --release --quiet --bin rehearse --example gen-logs
BIN=target/release/rehearse
if [ "$(find "$DIR" -name '*.jsonl' 2>/dev/null | wc -l)" -ne "$SESSIONS" ]; then
  rm -rf "$DIR"
  target/release/examples/gen-logs "$DIR" "$SESSIONS" "$QUESTIONS" --reviews
fi

spread() {
  sort -n | awk -v d="$1" '{ v[NR] = $1 / d }
    END { printf "min %6.2f  median %6.2f  max %6.2f", v[1], v[int((NR + 1) / 2)], v[NR] }'
}

times=$(mktemp)
# The data folder is a temporary one, so the default path is not used by accident.
export REHEARSE_DATA_DIR=$(mktemp -d)
"$BIN" review report --log-dir "$DIR" -o "$OUT" >/dev/null
for _ in $(seq "$RUNS"); do
  "$TIME" -f '%e %M' -a -o "$times" "$BIN" review report --log-dir "$DIR" -o "$OUT" >/dev/null
done
echo "$(nproc) cores; $(find "$DIR" -name '*.jsonl' | wc -l) logs, $(du -sh "$DIR" | cut -f1) in $DIR; $RUNS runs after a warm-up"
printf 'review report  wall s  %s   |  max RSS MB  %s\n' \
  "$(cut -d' ' -f1 "$times" | spread 1)" "$(cut -d' ' -f2 "$times" | spread 1024)"
size=$(stat -c %s "$OUT")
printf 'page: %s, %d bytes (%.2f MB)\n' "$OUT" "$size" "$(echo "$size / 1000000" | bc -l)"
rm -f "$times"
rm -rf "$REHEARSE_DATA_DIR"
