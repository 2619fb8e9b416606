#!/usr/bin/env bash
# How long can the whole rehearse process be frozen while a cue plays before the cue is
# heard torn? On the tests' private PulseAudio server (tests/cli/rig/pulse-rig), a
# hands-free session of one 3 s answer ends with the time-up cue (a 700 ms tone at
# 220 Hz, sounds/README.md), followed by the finish cue. The virtual speakers are
# recorded (parecord on their monitor). As soon as the time-up cue's `cue` record is in
# the log and its first samples are heard in the recording, the process is stopped
# (SIGSTOP, all its threads) for D ms, then continued (SIGCONT). The sound server goes on
# playing what it was handed; if that runs out before the process runs again, the tone
# has a gap or is cut short.
#
# For each build (the release build of this tree, and BASE, an older release binary
# that takes the same flags), each D and each run it prints whether the time-up and
# finish cues were heard whole, the pieces of the time-up tone (their lengths, and the
# gaps between them), and where the stop landed: how long after the cue's log record
# (`at`, whole ms), and how much of the tone the recording held at that moment (parecord
# is asked for 20 ms blocks, so the tone had been playing at least that long); and how
# long the process was really stopped. Not part of `cargo test`.
#
#   benches/cue_stall.sh                         # 2 runs of each D, about 4 minutes
#   RUNS=1 STALLS="0 300" benches/cue_stall.sh
#   BASE=/path/to/older/rehearse benches/cue_stall.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-2}
STALLS=${STALLS:-"0 50 100 200 300 500 800"}
BASE=${BASE:-/work/bench/rehearse-base}
DIR=target/bench-cue-stall
RIG=tests/cli/rig/pulse-rig
for tool in parecord pulseaudio python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (see .ci/run for its package)" >&2; exit 1; }
done
[ -x "$BASE" ] || { echo "no older build at $BASE (set BASE)" >&2; exit 1; }
cargo build --release --quiet
NEW=$(pwd)/target/release/rehearse

rm -rf "$DIR"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

session_pid=""
recorder_pid=""
cleanup() {
  # A stopped session would never end: continue it before ending it.
  if [ -n "$session_pid" ] && kill -0 "$session_pid" 2>/dev/null; then
    kill -CONT "$session_pid" 2>/dev/null || true
    kill "$session_pid" 2>/dev/null || true
  fi
  if [ -n "$recorder_pid" ] && kill -0 "$recorder_pid" 2>/dev/null; then
    kill "$recorder_pid" 2>/dev/null || true
  fi
  "$RIG" stop "$DIR/rig" || true
}
trap cleanup EXIT
eval "$("$RIG" start "$DIR/rig")"

# Waits for the time-up cue's record in the log, then for its first loud samples in the
# recording, stops PID for D ms and continues it. Prints (ms) how long after the record's
# `at` the stop landed, how much of the tone had been recorded by then, and how long the
# process was really stopped.
stall() { # PID LOG_DIR HEARD D
  python3 - "$@" <<'PY'
import datetime, glob, json, os, signal, sys, time
pid, logs, heard, stall_ms = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
deadline = time.time() + 30
def alive():
    return os.path.exists(f"/proc/{pid}") and time.time() < deadline
record = None
while record is None and alive():
    for path in glob.glob(os.path.join(logs, "*.jsonl")):
        with open(path) as f:
            for line in f:
                if '"time_up"' in line and '"cue"' in line and line.endswith("\n"):
                    record = json.loads(line)
    if record is None:
        time.sleep(0.001)
if record is None:
    sys.exit("no time_up cue in the log")
# Only what is recorded from now on: the cue before (the warning) ended 470 ms earlier.
offset = os.path.getsize(heard) // 2 * 2
sound = None
data = b""
with open(heard, "rb") as f:
    f.seek(offset)
    while sound is None and alive():
        data += f.read()
        first = next((i for i in range(0, len(data) - 1, 2)
                      if abs(int.from_bytes(data[i:i + 2], "little", signed=True)) >= 300), None)
        if first is not None:
            sound = time.time()
            onset = (offset + first) // 2
        else:
            time.sleep(0.002)
if sound is None:
    sys.exit("the time_up cue was not heard")
os.kill(pid, signal.SIGSTOP)
stopped = time.time()
recorded = os.path.getsize(heard) // 2
time.sleep(stall_ms / 1000)
os.kill(pid, signal.SIGCONT)
held = time.time() - stopped
at = datetime.datetime.fromisoformat(record["at"]).timestamp()
into = (recorded - onset) / 48
print(f"{(stopped - at) * 1000:.0f} {into:.0f} {held * 1000:.0f}")
PY
}

# The time-up tone's pieces in a recording (pitch by zero crossings, split where it is
# quiet for 15 ms, as the cue tests do) and whether the finish cue's four notes are there.
judge() { # HEARD
  python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
s = [int.from_bytes(data[i:i + 2], "little", signed=True) for i in range(0, len(data) - 1, 2)]
rate = 48000.0
loud = [i for i, v in enumerate(s) if abs(v) >= 300]
pieces = []
if loud:
    start = last = loud[0]
    for i in loud[1:] + [None]:
        if i is None or i - last > rate * 0.015:
            part = s[start:last + 1]
            crossings = sum(1 for a, b in zip(part, part[1:]) if (a < 0) != (b < 0))
            secs = len(part) / rate
            pieces.append((start / rate * 1000, secs * 1000, crossings / 2 / secs))
            if i is not None:
                start = i
        if i is not None:
            last = i
tone = [p for p in pieces if abs(p[2] - 220) <= 220 * 0.03]
tone_whole = len(tone) == 1 and abs(tone[0][1] - 700) <= 700 * 0.2
notes = [523, 659, 784, 1047]
after = [p for p in pieces if tone and p[0] > tone[-1][0]]
finish_whole = len(after) == 4 and all(
    abs(p[2] - hz) <= hz * 0.03 and abs(p[1] - 110) <= 110 * 0.2 for p, hz in zip(after, notes))
desc = "+".join(f"{p[1]:.0f}" for p in tone) or "none"
gaps = [b[0] - (a[0] + a[1]) for a, b in zip(tone, tone[1:])]
if gaps:
    desc += " (gaps " + "+".join(f"{g:.0f}" for g in gaps) + ")"
print(("whole" if tone_whole else "torn"), ("whole" if finish_whole else "torn"), desc)
PY
}

printf '%-5s %5s %3s  %-8s %-8s %-24s %s\n' build D run time_up finish "time_up pieces (ms)" \
  "stop: after record / into tone / held"
for build in base new; do
  bin=$BASE; [ "$build" = new ] && bin=$NEW
  for d in $STALLS; do
    for run in $(seq 1 "$RUNS"); do
      case_dir=$DIR/$build-$d-$run
      mkdir -p "$case_dir/logs" "$case_dir/home"
      heard=$case_dir/heard.raw
      : > "$heard"
      parecord --device=rig_speakers.monitor --latency-msec=20 --raw --format=s16le \
        --rate=48000 --channels=1 "$heard" &
      recorder_pid=$!
      sleep 0.2
      HOME=$case_dir/home REHEARSE_DATA_DIR=$case_dir/data "$bin" run --count 1 --time 3s \
        --gap 0 --auto --log-dir "$case_dir/logs" </dev/null >"$case_dir/out" 2>"$case_dir/err" &
      session_pid=$!
      lag=$(stall "$session_pid" "$case_dir/logs" "$heard" "$d" 2>"$case_dir/stall.err" ||
        echo "- - -")
      wait "$session_pid" || echo "$build D=$d run $run: the session failed: $(head -c 300 "$case_dir/err")" >&2
      session_pid=""
      # parecord flushes and exits on SIGINT.
      sleep 0.3
      kill -INT "$recorder_pid"
      wait "$recorder_pid" || true
      recorder_pid=""
      read -r up fin pieces < <(judge "$heard")
      read -r after_record into held <<<"$lag"
      printf '%-5s %5s %3s  %-8s %-8s %-24s %s / %s / %s\n' "$build" "$d" "$run" "$up" "$fin" \
        "$pieces" "$after_record" "$into" "$held"
    done
  done
done
