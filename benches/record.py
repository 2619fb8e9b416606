#!/usr/bin/env python3
"""What `rehearse run --record` costs (issue 14).

    python3 benches/record.py                # builds target/release/rehearse; ~10 minutes
    python3 benches/record.py --minutes 1    # shorter answers; ~4 minutes
    python3 benches/record.py --bin path/to/rehearse

Standard library only, plus espeak-ng, sox and PulseAudio (pulseaudio, pulseaudio-utils,
libasound2-plugins), which the tests use too. It starts the tests' private PulseAudio
server (tests/cli/rig/pulse-rig), makes a speech file with espeak-ng and sox, and runs
hands-free sessions of one answer of --minutes while the speech is played into the
virtual microphone over and over:

- the same session with and without --record: the extra CPU time of the whole process
  (from the kernel's accounting of the finished child, user + system), as a share of one
  core over the answer (target: at most 2%);
- how long after the answer's end its figures came (`answer_recorded` minus
  `question_ended`, from the log; target: at most 200 ms);
- the size of the recording per minute (target: at most 1 MB);
- `dropped_ms` of a recorded session while two other processes keep both cores busy
  (target: 0).

The screen is plain lines (a pipe), so no level meter is drawn. This script is not a Rust
target, so `cargo test` never runs it; it checks the logs and prints figures, nothing
more.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RIG = ROOT / "tests/cli/rig/pulse-rig"

TARGET_CPU_SHARE = 0.02
TARGET_FIGURES_MS = 200
TARGET_BYTES_PER_MINUTE = 1_000_000
TARGET_DROPPED_MS = 0


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def start_rig(dir):
    out = run("bash", str(RIG), "start", str(dir)).stdout.strip()
    env = {}
    for pair in out.removeprefix("export ").split("' "):
        key, value = pair.split("=", 1)
        env[key] = value.strip("'")
    return env


def speech(dir, seconds):
    """Speech for longer than `seconds`: sentences with silences of 0.3 to 4 s between
    them, over and over."""
    sentences = [
        "First I looked at what the regulation asks for and when.",
        "Then I called the privacy officer and the team leads together.",
        "We listed every record the breach could have touched.",
        "Within seventy two hours we had told everyone we had to tell.",
        "Afterwards we changed how access is reviewed each month.",
    ]
    parts = []
    for n, text in enumerate(sentences):
        said = dir / f"said-{n}.wav"
        run("espeak-ng", "-w", str(said), text)
        wav = dir / f"s-{n}.wav"
        run("sox", str(said), "-r", "48000", "-c", "1", str(wav))
        gap = dir / f"gap-{n}.wav"
        run("sox", "-n", "-r", "48000", "-c", "1", "-b", "16", str(gap),
            "trim", "0", str([0.3, 1.0, 4.0, 0.6, 2.0][n]))
        parts += [str(wav), str(gap)]
    once = dir / "once.wav"
    run("sox", *parts, str(once))
    length = float(run("soxi", "-D", str(once)).stdout)
    spoken = dir / "spoken.wav"
    run("sox", str(once), str(spoken), "repeat", str(int(seconds / length) + 1))
    return spoken


def session(bin, env, logs, minutes, record, spoken, busy=0):
    """One hands-free answer of `minutes` with speech playing; returns (cpu_s, log records)."""
    logs.mkdir(parents=True, exist_ok=True)
    args = [str(bin), "run", "--count", "1", "--time", f"{minutes}m", "--auto",
            "--gap", "0", "--mute", "--log-dir", str(logs)]
    if record:
        args.append("--record")
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(busy)]
    player = subprocess.Popen(["paplay", "--device=rig_mic", str(spoken)],
                              env={**os.environ, **env})
    try:
        child = subprocess.Popen(args, env={**os.environ, **env}, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        threads = {}
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            threads = thread_cpu(child.pid) or threads
            time.sleep(0.5)
        if status != 0:
            sys.exit(f"the session failed: {child.stderr.read().decode()}")
    finally:
        for p in hogs + [player]:
            p.kill()
            p.wait()
    log = sorted(logs.glob("*.jsonl"))[-1]
    records = [json.loads(line) for line in log.read_text().splitlines()]
    return usage.ru_utime + usage.ru_stime, records, log, threads


def thread_cpu(pid):
    """CPU seconds of each thread of a running process, by thread name."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[name] = out.get(name, 0) + (int(fields[11]) + int(fields[12])) / ticks
    return out


def first(records, event):
    return next(r for r in records if r["event"] == event)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--bin", type=Path)
    opts = parser.parse_args()
    bin = opts.bin
    if bin is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        bin = ROOT / "target/release/rehearse"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = start_rig(tmp / "rig")
        try:
            minutes = opts.minutes
            answer_s = minutes * 60
            spoken = speech(tmp, answer_s + 10)
            print(f"A {minutes:g}-minute answer, hands-free, speech played into the microphone:")
            plain_cpu, _, _, _ = session(bin, env, tmp / "plain", minutes, False, spoken)
            rec_cpu, records, log, threads = session(bin, env, tmp / "rec", minutes, True, spoken)
            share = (rec_cpu - plain_cpu) / answer_s
            print(f"  CPU of the process: {plain_cpu:.2f} s without --record, "
                  f"{rec_cpu:.2f} s with it")
            # The microphone thread resamples, encodes and detects; the capture thread is
            # the audio library's own, which hands it the samples.
            print("  by thread (until the last second): " + ", ".join(
                f"{name} {cpu:.2f} s" for name, cpu in sorted(threads.items())))
            mine = threads.get("microphone", 0) / answer_s
            print(f"  of which the microphone thread (resampling, FLAC, detection): "
                  f"{mine * 100:.2f}% of one core")
            ok = share <= TARGET_CPU_SHARE
            print(f"  recording, encoding and detection: {share * 100:.2f}% of one core "
                  f"(target at most {TARGET_CPU_SHARE * 100:g}%: {'ok' if ok else 'MISSED'})")
            recorded = first(records, "answer_recorded")
            ended = first(records, "question_ended")
            late = recorded["t_ms"] - ended["t_ms"]
            print(f"  figures after the answer's end: {late} ms "
                  f"(target at most {TARGET_FIGURES_MS} ms: "
                  f"{'ok' if late <= TARGET_FIGURES_MS else 'MISSED'})")
            size = (log.parent / recorded["file"]).stat().st_size
            per_minute = size / (recorded["duration_ms"] / 60_000)
            print(f"  recording: {size:,} bytes, {per_minute / 1e6:.2f} MB a minute "
                  f"(target at most 1 MB: "
                  f"{'ok' if per_minute <= TARGET_BYTES_PER_MINUTE else 'MISSED'})")
            print(f"  measured: first word {recorded['first_word_ms']} ms, spoke "
                  f"{recorded['speech_ms']} of {recorded['duration_ms']} ms, longest pause "
                  f"{recorded['longest_pause_ms']} ms, {recorded['long_pauses']} long pauses, "
                  f"dropped {recorded['dropped_ms']} ms")
            _, busy, _, _ = session(bin, env, tmp / "busy", minutes, True, spoken, busy=2)
            dropped = first(busy, "answer_recorded")["dropped_ms"]
            print(f"  with both cores kept busy by two other processes: dropped {dropped} ms "
                  f"(target {TARGET_DROPPED_MS}: "
                  f"{'ok' if dropped <= TARGET_DROPPED_MS else 'MISSED'})")
        finally:
            subprocess.run(["bash", str(RIG), "stop", str(tmp / "rig")], check=False)


if __name__ == "__main__":
    main()
