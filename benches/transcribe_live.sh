#!/usr/bin/env bash
# Benchmark of `rehearse run --transcribe` on the release build, on the tests' private
# PulseAudio server (tests/cli/rig/pulse-rig): a 2-minute answer made by espeak-ng and sox
# (sentences with pauses of 0.3 to 2 s between them, a second of silence first) is played
# into its virtual microphone, and Enter (an empty line on standard input, a pipe) ends the
# answer as soon as it has been played. For each run:
#   - how long after the answer's end its transcript reached the log
#     (`answer_transcribed` t_ms minus `question_ended` t_ms; target: within 1 s);
#   - the cores used while answering: the process's CPU time, all threads, from
#     /proc/PID/stat when the question starts and when the answer ends (target: at most
#     half a core on average);
#   - peak memory (GNU time; target: under 1.2 GB);
#   - when the first question starts, with --transcribe and without it (--record alone):
#     `question_started` t_ms in the log, and the wall time from launch until the script
#     sees it there (target: the model's load adds nothing).
# Needs the model in target/test-models/model (`cargo test feedback` unpacks it); the
# converted model is cached where the tests keep it. Not part of `cargo test`.
#
#   benches/transcribe_live.sh        # 3 runs, about 8 minutes
#   RUNS=1 benches/transcribe_live.sh
#   JOINED=1 RUNS=1 benches/transcribe_live.sh   # one more sentence, after only 0.1 s
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
ANSWER_S=120
QUESTION=breach-notification-timelines
MODEL=target/test-models/model
DIR=target/bench-transcribe-live
RIG=tests/cli/rig/pulse-rig
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "GNU time ($TIME) is needed: apt-get install time" >&2; exit 1; }
[ -f "$MODEL/decoder_model_merged.ort" ] || { echo "no model in $MODEL: run cargo test feedback first" >&2; exit 1; }
for tool in jq espeak-ng sox paplay pulseaudio; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (see .ci/run for its package)" >&2; exit 1; }
done
rm -rf "$DIR"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

# --- the answer: whole sentences until 2 minutes are spoken, pauses between them ---
sentences=(
  "Um, when we confirm a breach of unsecured health information, the clock starts on the day we discovered it, not the day it happened."
  "Every affected patient gets a letter by first class mail within sixty days of discovery."
  "If we have no current address for ten or more people, we post a substitute notice on our website for ninety days, with a toll free number."
  "For a breach of more than five hundred residents of one state, we also tell prominent local media in that state."
  "Uh, we report it to the Secretary of Health and Human Services at the same time as the letters when five hundred or more are affected."
  "Smaller breaches go into a log that we send to the department within sixty days after the end of the calendar year."
  "Business associates have to tell us without unreasonable delay, and no later than sixty days, and our contracts usually ask for much less."
  "You know, state law is often stricter, so we check each state where the patients live before we set the dates."
  "In my last role I kept a checklist with every deadline and who owns it, and we rehearsed it twice a year."
  "The hardest part was always finding current addresses in time."
  "So I would say the main lesson is to keep contact details up to date before anything happens."
)
gaps=(0.4 0.9 0.3 1.6 0.6 1.1 0.35 2.0 0.5 0.8)
parts=("$DIR/silence-1.wav")
sox -n -r 48000 -c 1 -b 16 "$DIR/silence-1.wav" trim 0 1
total=1
said=""
n=0
while awk -v t="$total" -v a="$ANSWER_S" 'BEGIN { exit !(t < a) }'; do
  i=$((n % ${#sentences[@]}))
  if [ ! -f "$DIR/s$i.wav" ]; then
    espeak-ng -w "$DIR/s$i.raw.wav" "${sentences[$i]}"
    sox "$DIR/s$i.raw.wav" -r 48000 -c 1 "$DIR/s$i.wav"
  fi
  if [ "$n" -gt 0 ]; then
    gap=${gaps[$((n % ${#gaps[@]}))]}
    [ -f "$DIR/gap$gap.wav" ] || sox -n -r 48000 -c 1 -b 16 "$DIR/gap$gap.wav" trim 0 "$gap"
    parts+=("$DIR/gap$gap.wav")
    total=$(awk -v t="$total" -v g="$gap" 'BEGIN { print t + g }')
  fi
  parts+=("$DIR/s$i.wav")
  total=$(awk -v t="$total" -v s="$(soxi -D "$DIR/s$i.wav")" 'BEGIN { print t + s }')
  said="$said ${sentences[$i]}"
  n=$((n + 1))
done
if [ "${JOINED:-0}" = 1 ]; then
  # The last sentence follows the one before with no pause to cut at: the answer's last
  # chunk is two sentences long.
  i=$((n % ${#sentences[@]}))
  espeak-ng -w "$DIR/s$i.raw.wav" "${sentences[$i]}"
  sox "$DIR/s$i.raw.wav" -r 48000 -c 1 "$DIR/s$i.wav"
  sox -n -r 48000 -c 1 -b 16 "$DIR/gap-joined.wav" trim 0 0.1
  parts+=("$DIR/gap-joined.wav" "$DIR/s$i.wav")
  said="$said ${sentences[$i]}"
  n=$((n + 1))
fi
sox "${parts[@]}" "$DIR/answer.wav"
words_said=$(wc -w <<<"$said")
printf 'answer: %.1f s (1 s of silence first), %d sentences, %d words\n' \
  "$(soxi -D "$DIR/answer.wav")" "$n" "$words_said"

cargo build --release --quiet --bin rehearse
BIN=$PWD/target/release/rehearse
export REHEARSE_MODEL="$PWD/$MODEL" REHEARSE_CACHE_DIR="$PWD/target/test-models/cache"
export REHEARSE_DATA_DIR="$DIR/data" REHEARSE_CONFIG="$DIR/no-config.toml"

session="" child="" player=""
cleanup() {
  # Interrupted: the session (GNU time and rehearse under it) ends too.
  local p
  for p in $player $child $session; do kill "$p" 2>/dev/null || true; done
  bash "$RIG" stop "$DIR/rig" || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
eval "$(bash "$RIG" start "$DIR/rig")"

# The converted model in the cache before the runs, so that none of them converts it.
start=$(date +%s%N)
"$BIN" feedback "$DIR/s0.raw.wav" >/dev/null
echo "model ready in the cache ($(( ($(date +%s%N) - start) / 1000000 )) ms for one sentence with feedback)"

ticks=$(getconf CLK_TCK)
# CPU time of a process so far, all its threads, in clock ticks.
cpu() {
  local stat rest
  stat=$(<"/proc/$1/stat")
  rest=${stat##*) }
  read -r -a f <<<"$rest"
  echo $((f[11] + f[12]))
}
# CPU seconds of each thread of a process, by thread name, on one line.
threads() {
  local task name stat rest
  for task in /proc/"$1"/task/*; do
    name=$(<"$task/comm") stat=$(<"$task/stat") || continue
    rest=${stat##*) }
    read -r -a f <<<"$rest"
    printf '%s\t%s\n' "$name" $((f[11] + f[12]))
  done | awk -F '\t' -v hz="$ticks" '{ s[$1] += $2 } END { for (n in s) printf "%s %.2f s, ", n, s[n] / hz }'
}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# Every 100 ms until the process ends: ms since $2, CPU ticks of process $1 so far.
sample() {
  while [ -r "/proc/$1/stat" ]; do
    printf '%s\t%s\n' "$(ms "$2")" "$(cpu "$1")" || break
    sleep 0.1
  done 2>/dev/null
}
# The stretches in which the process used more than half a core (the model at work: the
# microphone alone takes under 1%), as "from-to s (CPU s)", seconds since the answer began.
bursts() {
  awk -F '\t' -v hz="$ticks" '
    NR > 1 && $1 > t { busy = ($2 - c) / hz / (($1 - t) / 1000) > 0.5 }
    NR > 1 && busy && !open { open = 1; from = t; used = 0 }
    NR > 1 && busy { used += ($2 - c) / hz; to = $1 }
    NR > 1 && !busy && open { open = 0; printf "%.1f-%.1f (%.2f), ", from / 1000, to / 1000, used }
    { t = $1; c = $2 }
    END { if (open) printf "%.1f-%.1f (%.2f)", from / 1000, to / 1000, used }' "$1"
}
field() { jq -rs --arg e "$1" "[.[] | select(.event == \$e)][0].$2 // \"none\"" "$3"; }

# One session of one question; with `speak` the answer is played before Enter, without
# it Enter comes as soon as the question has started. Sets the figures below.
run_session() {
  local name=$1 speak=$2
  shift 2
  local out=$DIR/$name
  mkdir -p "$out/logs"
  mkfifo "$out/in"
  local launched
  launched=$(date +%s%N)
  "$TIME" -v -o "$out/time.txt" "$BIN" run "$@" --question "$QUESTION" --gap 0 --time 3m \
    --log-dir "$out/logs" <"$out/in" >"$out/stdout" 2>"$out/stderr" &
  session=$!
  exec 3>"$out/in"
  local pid="" log=""
  until [ -n "$pid" ]; do sleep 0.005; pid=$(pgrep -P "$session" || true); done
  child=$pid
  until [ -n "$log" ] && grep -q '"question_started"' "$log"; do
    sleep 0.01
    log=$(find "$out/logs" -name '*.jsonl' | head -n 1)
  done
  first_wall_ms=$(ms "$launched")
  local cpu_before cpu_after answering
  cpu_before=$(cpu "$pid")
  answering=$(date +%s%N)
  if [ "$speak" = speak ]; then
    sample "$pid" "$answering" >"$out/cpu.tsv" &
    sampler=$!
    # In the background, so that an interruption does not wait for it to end.
    paplay --device=rig_mic "$DIR/answer.wav" &
    player=$!
    wait "$player"
    player=""
    cpu_after=$(cpu "$pid")
    answer_wall_ms=$(ms "$answering")
    thread_cpu=$(threads "$pid")
    cores=$(awk -v c=$((cpu_after - cpu_before)) -v hz="$ticks" -v w="$answer_wall_ms" \
      'BEGIN { printf "%.2f", c / hz / (w / 1000) }')
    load_cpu=$(awk -v c="$cpu_before" -v hz="$ticks" 'BEGIN { printf "%.2f", c / hz }')
  fi
  printf '\n' >&3
  exec 3>&-
  wait "$session" || { echo "the session failed:" >&2; cat "$out/stderr" >&2; exit 1; }
  session="" child=""
  [ "$speak" != speak ] || wait "$sampler"
  first_t_ms=$(field question_started t_ms "$log")
  ended=$(field question_ended t_ms "$log")
  transcribed=$(field answer_transcribed t_ms "$log")
  words=$(field answer_transcribed words "$log")
  speech_ms=$(field answer_recorded speech_ms "$log")
  late_ms=none
  [ "$transcribed" = none ] || late_ms=$((transcribed - ended))
  peak_mb=$(awk '/Maximum resident set size/ { printf "%.0f", $NF / 1024 }' "$out/time.txt")
  log_file=$log
}

row() { printf '%-4s %13s %9s %10s %14s %8s %12s %12s\n' "$@"; }
results=$DIR/results.txt
: >"$results"
for i in $(seq 1 "$RUNS"); do
  run_session "plain-$i" enter --record
  plain_first=$first_t_ms plain_wall=$first_wall_ms
  run_session "live-$i" speak --transcribe
  echo "run $i: $log_file"
  echo "  threads, CPU from launch to the answer's end: $thread_cpu"
  echo "  CPU before the question started (model load among it): $load_cpu s; spoke $speech_ms ms"
  echo "  the model at work, seconds since the answer began (CPU s); the answer ended at" \
    "$((answer_wall_ms / 1000)).$((answer_wall_ms % 1000 / 100)) s: $(bursts "$DIR/live-$i/cpu.tsv")"
  row "$i" "$late_ms" "$words" "$cores" "$answer_wall_ms" "$peak_mb" \
    "$plain_first/$first_t_ms" "$plain_wall/$first_wall_ms" >>"$results"
done

echo
echo "A 2-minute answer, $words_said words said (JOINED=${JOINED:-0}); transcript late = answer_transcribed - question_ended."
echo "First question = question_started t_ms / wall from launch, --record alone / --transcribe."
row run "late (ms)" words cores "answering ms" "peak MB" "1st q t_ms" "1st q wall"
cat "$results"
echo "targets: late <= 1000 ms, cores <= 0.5, peak < 1200 MB, first question not later with --transcribe"
