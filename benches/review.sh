#!/usr/bin/env bash
# Benchmark of `rehearse review` on the release build over generated logs of a few history
# sizes (2,000, 20,000 and 200,000 sessions of 20 questions by default): the list, stats,
# the report and the CSV and JSON exports, beside the same stats and list computed with
# DuckDB (benches/review/review_duckdb.py) and with jq over the same files. For each: wall
# time, CPU time (user + system) and peak memory (max RSS) from GNU time, min / median /
# max of RUNS runs, after the logs were read once (in the page cache). Not part of
# `cargo test`.
#
# Before timing anything it checks that DuckDB's and jq's numbers are rehearse's: every
# question's attempts, median and best answer, over-time and skip rates (`review stats
# --json`), and every row of the list (`review --json`). With BASE=an older binary it also
# times that binary's commands and checks that its stats, list, exports and report say
# what this build says (but for what is new in the Markdown export, and the report's
# date, drawings and talking points: its figures are compared).
#
#   benches/review.sh                        # 2,000, 20,000 and 200,000 sessions, 3 runs
#   SESSIONS="2000 20000" RUNS=5 benches/review.sh
#   BASE=path/to/old/rehearse benches/review.sh
#   PYTHON=path/to/venv/bin/python benches/review.sh   # a Python that has duckdb
#
# Logs are generated once into BENCH_ROOT/N-QUESTIONS (target/bench-logs by default) by
# `cargo run --release --example gen-logs`; a link there to logs made before is used as
# it is. The last table (Markdown) and the targets are in target/bench-review/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SESSIONS=${SESSIONS:-2000 20000 200000}
QUESTIONS=${QUESTIONS:-20}
RUNS=${RUNS:-3}
# jq takes minutes over large histories; its spread is not the point.
JQ_RUNS=${JQ_RUNS:-1}
BENCH_ROOT=${BENCH_ROOT:-target/bench-logs}
PYTHON=${PYTHON:-python3}
BASE=${BASE:-}
WORK=target/bench-review
TIME=/usr/bin/time

missing=()
[ -x "$TIME" ] || missing+=("GNU time ($TIME): apt-get install time")
command -v jq >/dev/null || missing+=("jq: apt-get install jq")
command -v cargo >/dev/null || missing+=("cargo: https://rustup.rs")
"$PYTHON" -c 'import duckdb' 2>/dev/null ||
  missing+=("DuckDB for Python: pip install duckdb, or PYTHON=a Python that has it (now: $PYTHON)")
if [ -n "$BASE" ] && [ ! -x "$BASE" ]; then missing+=("BASE=$BASE: not an executable"); fi
if [ ${#missing[@]} -gt 0 ]; then
  printf 'missing: %s\n' "${missing[@]}" >&2
  exit 1
fi

cargo build --release --quiet --bin rehearse --example gen-logs
BIN=target/release/rehearse
DUCKDB=benches/review/review_duckdb.py
mkdir -p "$WORK"
RESULTS=$WORK/results.tsv
: >"$RESULTS"
# The report's page, and nothing of the user's: a data folder of its own.
export REHEARSE_DATA_DIR
REHEARSE_DATA_DIR=$(mktemp -d)
trap 'rm -rf "$REHEARSE_DATA_DIR"' EXIT

# jq gets every file's lines in one stream (awk adds the newline a torn last line lacks)
# and, like review, passes over lines that are not JSON.
# The list: per session, when, which bank, answered (by the clock too), skipped, over
# time, time and outcome; newest first. ($r and the like are jq's, not the shell's.)
# shellcheck disable=SC2016
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
              | (if $r.overtime_ms > 0 then .over += 1 else . end)
            elif $r.event == "session_ended" then .outcome = $r.outcome | .total = $r.total_ms
            else . end)
      end;
      .out | select(. != null))]
  | sort_by(.at) | reverse | .[]
  | [.at, .bank, "\(.answered)/\(.planned)", .skipped, .over, .total, .outcome] | @tsv'

# The stats: per question, attempts, answered, skipped, over time, median and best
# answer, over-time and skip rates; weakest first. The median of an even count is
# rounded down to a whole millisecond, as review does.
JQ_STATS='[inputs | fromjson? | select(.event == "question_ended" and .outcome != "unfinished")
    | {id, a: .answer_ms, s: (.outcome == "skipped"), o: (.overtime_ms > 0)}]
  | group_by(.id)
  | map({id: .[0].id, attempts: length, over: (map(select(.o)) | length),
         skipped: (map(select(.s)) | length), answers: (map(select(.s | not) | .a) | sort)})
  | map({id, attempts, answered: (.attempts - .skipped), skipped, over, best: .answers[0],
         over_rate: (.over / .attempts), skip_rate: (.skipped / .attempts),
         median: (.answers | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
                  else (.[length / 2 - 1] + .[length / 2]) / 2 | floor end)})
  | sort_by(-(.over_rate + .skip_rate)) | .[]
  | [.id, .attempts, .answered, .skipped, .over, .median, .best, .over_rate, .skip_rate] | @tsv'

jq_over() { find "$DIR/" -name '*.jsonl' -print0 | xargs -0 awk 1 | jq -n -R -r "$1"; }
export -f jq_over

# min / median / max of numbers on standard input, each divided by $1.
spread() {
  sort -n | awk -v d="$1" '{ v[NR] = $1 / d }
    END { printf "%.2f / %.2f / %.2f", v[1], v[int((NR + 1) / 2)], v[NR] }'
}

# bench NAME RUNS OUT COMMAND...: runs COMMAND RUNS times, its output to OUT; prints and
# records min / median / max of wall seconds, CPU seconds (user + system) and max RSS in
# MB.
bench() {
  local name=$1 runs=$2 out=$3
  shift 3
  local times
  times=$(mktemp)
  for _ in $(seq "$runs"); do
    "$TIME" -f '%e %U %S %M' -a -o "$times" "$@" >"$out"
  done
  local wall cpu mem
  wall=$(cut -d' ' -f1 "$times" | spread 1)
  cpu=$(awk '{ print $2 + $3 }' "$times" | spread 1)
  mem=$(cut -d' ' -f4 "$times" | spread 1024)
  printf '%-28s wall s %-20s CPU s %-20s max RSS MB %s\n' "$name" "$wall" "$cpu" "$mem"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "$name" "$runs" "$wall" "$cpu" "$mem" >>"$RESULTS"
  rm -f "$times"
}

# same_rows WHAT A B: the same rows in any order, numbers compared as numbers (0 and 0.0,
# or jq's and Python's spelling of one double, are equal).
same_rows() {
  local what=$1
  if awk -F'\t' 'NR == FNR { a[FNR] = $0; n = FNR; next }
      { if (split(a[FNR], x, "\t") != NF) exit 1
        for (i = 1; i <= NF; i++) if (!(x[i] == $i)) exit 1 }
      END { if (FNR != n) exit 1 }' <(sort "$2") <(sort "$3"); then
    echo "  same: $what ($(wc -l <"$2") rows)"
  else
    echo "  DIFFERENT: $what: diff <(sort $2) <(sort $3)" >&2
    exit 1
  fi
}

# same_bytes WHAT COMMAND1 COMMAND2: the two outputs byte for byte, streamed (an export
# of years is larger than memory should hold).
same_bytes() {
  local what=$1
  if cmp -s <(eval "$2") <(eval "$3"); then
    echo "  same: $what"
  else
    echo "  DIFFERENT: $what: cmp <($2) <($3)" >&2
    exit 1
  fi
}

# The base binary's outputs against this build's, on the logs in $DIR.
check_base() {
  local new="$BIN" old="$BASE" d="$DIR"
  same_bytes "review stats --json, base and this build" \
    "$old review stats --json --log-dir $d" "$new review stats --json --log-dir $d"
  same_bytes "review (the list), base and this build" \
    "$old review --log-dir $d" "$new review --log-dir $d"
  same_bytes "review --json, base and this build" \
    "$old review --json --log-dir $d" "$new review --json --log-dir $d"
  for f in csv json; do
    same_bytes "review export -f $f, base and this build" \
      "$old review export -f $f --log-dir $d" "$new review export -f $f --log-dir $d"
  done
  # New since the base (ac52fd2): how many answers the clock ended, on each session's
  # result line, and the talking points of the questions asked under each session (up to
  # its notes or the next session; the last session's, to the end, with the blank line
  # before them).
  local md_then="sed -E '/^- Result: /s/ \\([0-9]+ ended by the clock\\)//;
    /^What a strong answer covers:\$/,/^(## |Note: )/{/^(## |Note: )/!d}' |
    sed -e :a -e '/^\\n*\$/{\$d;N;ba' -e '}'"
  same_bytes "review export -f md, base and this build (but the clock's count and the points)" \
    "$old review export -f md --log-dir $d" "$new review export -f md --log-dir $d | $md_then"
  # The report's figures: its text and the tables beside its charts, without the date it
  # was made, the drawings (how a chart is drawn may change) and the talking points (from
  # the banks as they are now, which change too).
  local figures="perl -pe 's/ Made [A-Z][a-z]{2} [0-9-]{10} [0-9:]{5}\\.//;
    s/<svg.*?<\\/svg>//g; s/<p><b>Talking points<\\/b><\\/p><ul>.*?<\\/ul>//g'"
  same_bytes "review report, base and this build (its figures)" \
    "$old review report --log-dir $d -o $WORK/base.html >/dev/null && $figures $WORK/base.html" \
    "$new review report --log-dir $d -o $WORK/new.html >/dev/null && $figures $WORK/new.html"
}

uptime
echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
  "$RUNS runs each (jq $JQ_RUNS)"
N=0
bench "python + import duckdb" "$RUNS" /dev/null "$PYTHON" -c 'import duckdb'

for N in $SESSIONS; do
  DIR=$BENCH_ROOT/$N-$QUESTIONS
  export DIR
  if [ "$(find "$DIR/" -name '*.jsonl' 2>/dev/null | wc -l)" -ne "$N" ]; then
    rm -rf "$DIR"
    target/release/examples/gen-logs "$DIR" "$N" "$QUESTIONS"
  fi
  out=$WORK/$N
  mkdir -p "$out"
  # Every file read once, so every command finds them in the page cache.
  find "$DIR/" -name '*.jsonl' -print0 | xargs -0 cat >/dev/null
  echo
  echo "== $N sessions: $(du -shL "$DIR/" | cut -f1) of logs in $DIR"

  bench "review (the list)" "$RUNS" "$out/list.txt" "$BIN" review --log-dir "$DIR"
  bench "review stats" "$RUNS" /dev/null "$BIN" review stats --log-dir "$DIR"
  bench "review report" "$RUNS" /dev/null "$BIN" review report --log-dir "$DIR" -o "$out/report.html"
  bench "review export -f csv" "$RUNS" /dev/null "$BIN" review export -f csv --log-dir "$DIR"
  bench "review export -f json" "$RUNS" /dev/null "$BIN" review export -f json --log-dir "$DIR"
  bench "DuckDB, the list" "$RUNS" "$out/duckdb-list.tsv" "$PYTHON" "$DUCKDB" list "$DIR"
  bench "DuckDB, the stats" "$RUNS" "$out/duckdb-stats.tsv" "$PYTHON" "$DUCKDB" stats "$DIR"
  bench "jq, the list" "$JQ_RUNS" "$out/jq-list.tsv" bash -c "jq_over '$JQ_LIST'"
  bench "jq, the stats" "$JQ_RUNS" "$out/jq-stats.tsv" bash -c "jq_over '$JQ_STATS'"
  if [ -n "$BASE" ]; then
    bench "base: review (the list)" "$RUNS" /dev/null "$BASE" review --log-dir "$DIR"
    bench "base: review stats" "$RUNS" /dev/null "$BASE" review stats --log-dir "$DIR"
    bench "base: review report" "$RUNS" /dev/null "$BASE" review report --log-dir "$DIR" -o "$out/base.html"
    bench "base: review export -f csv" "$RUNS" /dev/null "$BASE" review export -f csv --log-dir "$DIR"
    bench "base: review export -f json" "$RUNS" /dev/null "$BASE" review export -f json --log-dir "$DIR"
  fi

  echo "checks:"
  "$BIN" review stats --json --log-dir "$DIR" | jq -r '.questions[]
    | [.key, .attempts, .answered, .skipped, .over_time, .median_ms, .best_ms, .over_rate, .skip_rate]
    | @tsv' >"$out/stats.tsv"
  "$BIN" review --json --log-dir "$DIR" | jq -r '.sessions[]
    | [.started, .bank, "\(.counts.answered)/\(.counts.planned)",
       .counts.skipped, .counts.over_time, .total_ms, .ending] | @tsv' >"$out/list.tsv"
  same_rows "per-question stats, rehearse and DuckDB" "$out/stats.tsv" "$out/duckdb-stats.tsv"
  same_rows "per-question stats, rehearse and jq" "$out/stats.tsv" "$out/jq-stats.tsv"
  same_rows "the list, rehearse and DuckDB" "$out/list.tsv" "$out/duckdb-list.tsv"
  same_rows "the list, rehearse and jq" "$out/list.tsv" "$out/jq-list.tsv"
  if [ -n "$BASE" ]; then check_base; fi
done

# The table, and the targets where the sizes they name were measured.
{
  for n in $(cut -f1 "$RESULTS" | uniq | grep -v '^0$'); do
    echo
    echo "$n sessions | runs | wall s min / median / max | CPU s (user + sys) | peak MB"
    echo "---|---|---|---|---"
    awk -F'\t' -v n="$n" '$1 == n { print $2 " | " $3 " | " $4 " | " $5 " | " $6 }' "$RESULTS"
  done
  echo
  awk -F'\t' '
    { split($5, c, " / "); split($6, m, " / "); cpu[$1, $2] = c[2]; mem[$1, $2] = m[2]; seen[$1] = 1 }
    END {
      n = split("review stats,review report,review export -f csv,review export -f json", cmds, ",")
      if ((2000 in seen) && (20000 in seen)) for (i = 1; i <= n; i++) {
        a = mem[2000, cmds[i]]; b = mem[20000, cmds[i]]
        printf "%s: peak %.1f MB at 2,000, %.1f MB at 20,000: %.2fx (target < 1.5x: %s; < 80 MB: %s)\n",
          cmds[i], a, b, b / a, (b / a < 1.5 ? "holds" : "MISSED"), (b < 80 ? "holds" : "MISSED")
      }
      # The issue sets the 200,000 targets against DuckDB computing the stats (the list,
      # which has no target, is set beside DuckDB making the same list).
      if (200000 in seen) for (i = 1; i <= n; i++) {
        peer = "DuckDB, the stats"
        printf "%s at 200,000: peak %.0f MB against %.0f (%s: %s); CPU %.1f s against %.1f: %.1fx cheaper (target 10x: %s)\n",
          cmds[i], mem[200000, cmds[i]], mem[200000, peer], peer,
          (mem[200000, cmds[i]] < mem[200000, peer] ? "holds" : "MISSED"),
          cpu[200000, cmds[i]], cpu[200000, peer], cpu[200000, peer] / cpu[200000, cmds[i]],
          (cpu[200000, peer] >= 10 * cpu[200000, cmds[i]] ? "holds" : "MISSED")
      }
      if (200000 in seen) {
        l = "review (the list)"; p = "DuckDB, the list"
        printf "%s at 200,000: peak %.0f MB against %.0f (%s); CPU %.1f s against %.1f: %.1fx cheaper (no target)\n",
          l, mem[200000, l], mem[200000, p], p, cpu[200000, l], cpu[200000, p], cpu[200000, p] / cpu[200000, l]
      }
    }' "$RESULTS"
} | tee "$WORK/results.md"
