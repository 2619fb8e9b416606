#!/usr/bin/env bash
# Benchmark of `rehearse review list` and `review stats` on the release build over
# generated logs (10,000 sessions of 20 questions by default), beside the same numbers
# computed with jq over the same files. Wall time and peak memory (max RSS) per run, from
# GNU time. Not part of `cargo test`.
#
#   benches/review.sh                 # 10,000 sessions, 5 runs each
#   SESSIONS=1000 RUNS=3 benches/review.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SESSIONS=${SESSIONS:-10000}
QUESTIONS=${QUESTIONS:-20}
RUNS=${RUNS:-5}
DIR=${BENCH_DIR:-target/bench-logs/$SESSIONS-$QUESTIONS}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "GNU time ($TIME) is needed: apt-get install time" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is needed: apt-get install jq" >&2; exit 1; }

cargo build --release --quiet --bin rehearse --example gen-logs
BIN=target/release/rehearse
if [ "$(find "$DIR" -name '*.jsonl' 2>/dev/null | wc -l)" -ne "$SESSIONS" ]; then
  rm -rf "$DIR"
  target/release/examples/gen-logs "$DIR" "$SESSIONS" "$QUESTIONS"
fi

# jq gets every file's lines in one stream (awk adds the newline a torn last line lacks)
# and, like review, passes over lines that are not JSON.
# The list: per session, when, which bank, answered, skipped, over time, time and
# outcome; newest first.
JQ_LIST='[foreach ((inputs | fromjson?), {event: "session_started", last: true}) as $r (
      {cur: null, out: null};
      if $r.event == "session_started" then
        .out = .cur
        | .cur = (if $r.last then null else {at: $r.at, bank: $r.bank, planned: ($r.plan | length),
            answered: 0, skipped: 0, over: 0, outcome: "interrupted", total: 0} end)
      elif .cur == null then .out = null
      else .out = null
        | .cur |= (.total = $r.t_ms
          | if $r.event == "question_ended" then
              (if $r.outcome == "skipped" then .skipped += 1
               elif $r.outcome != "unfinished" then .answered += 1 else . end)
              | (if $r.overtime_ms > 0 or $r.outcome == "time_up" then .over += 1 else . end)
            elif $r.event == "session_ended" then .outcome = $r.outcome | .total = $r.total_ms
            else . end)
      end;
      .out | select(. != null))]
  | sort_by(.at) | reverse | .[]
  | [.at, .bank, "\(.answered)/\(.planned)", .skipped, .over, .total, .outcome] | @tsv'

# The stats: per question, attempts, median and best answer, over-time and skip rates;
# weakest first.
JQ_STATS='[inputs | fromjson? | select(.event == "question_ended" and .outcome != "unfinished")
    | {id, a: .answer_ms, s: (.outcome == "skipped"), o: (.overtime_ms > 0 or .outcome == "time_up")}]
  | group_by(.id)
  | map({id: .[0].id, attempts: length, over: (map(select(.o)) | length),
         skipped: (map(select(.s)) | length), answers: (map(select(.s | not) | .a) | sort)})
  | map({id, attempts, best: .answers[0], over_rate: (.over / .attempts),
         skip_rate: (.skipped / .attempts),
         median: (.answers | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
                  else (.[length / 2 - 1] + .[length / 2]) / 2 end)})
  | sort_by(-(.over_rate + .skip_rate)) | .[] | [.id, .attempts, .median, .best, .over_rate, .skip_rate] | @tsv'

# min / median / max of numbers on standard input, each divided by $1.
spread() {
  sort -n | awk -v d="$1" '{ v[NR] = $1 / d }
    END { printf "min %6.2f  median %6.2f  max %6.2f", v[1], v[int((NR + 1) / 2)], v[NR] }'
}

# Runs "$@" RUNS times after one warm-up; prints min / median / max of wall seconds and
# of max RSS in MB.
bench() {
  local name=$1; shift
  local out; out=$(mktemp)
  "$@" >/dev/null 2>&1 || true
  for _ in $(seq "$RUNS"); do
    "$TIME" -f '%e %M' -a -o "$out" "$@" >/dev/null
  done
  local wall mem
  wall=$(cut -d' ' -f1 "$out" | spread 1)
  mem=$(cut -d' ' -f2 "$out" | spread 1024)
  printf '%-13s wall s  %s   |  max RSS MB  %s\n' "$name" "$wall" "$mem"
  rm -f "$out"
}

jq_over() { find "$DIR" -name '*.jsonl' -print0 | xargs -0 awk 1 | jq -n -R -r "$1"; }
export -f jq_over
export DIR

echo "$(nproc) cores; $(find "$DIR" -name '*.jsonl' | wc -l) logs, $(du -sh "$DIR" | cut -f1) in $DIR; $RUNS runs each"
bench "review list" "$BIN" review --log-dir "$DIR"
bench "review stats" "$BIN" review stats --log-dir "$DIR"
bench "jq list" bash -c "jq_over '$JQ_LIST'"
bench "jq stats" bash -c "jq_over '$JQ_STATS'"
