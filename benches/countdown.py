#!/usr/bin/env python3
"""How often a countdown wakes the machine, and what it costs (issue 26).

    python3 benches/countdown.py                # builds target/release/rehearse; ~4 minutes
    python3 benches/countdown.py --seconds 20   # shorter samples; ~2 minutes
    python3 benches/countdown.py --bin path/to/rehearse

Standard library only, plus what benches/record.py needs for the recorded session
(PulseAudio, espeak-ng, sox), and termdown (`pip install termdown`) to compare with; its
row is left out, and said so, when it is not installed. Every program counts down a
3-minute answer in a 100 x 30 pseudo-terminal, drawing its screen as it would for a
person, and is sampled for --seconds once it has started:

- wake-ups: the context switches (voluntary and not) of all its threads, a second. Each
  one is a thread that went to sleep or was put off, so it counts the times the process
  had the CPU woken for it; threads of the sound server's client library count too;
- CPU: utime + stime of the whole process over the sample, a minute.

The sessions: `rehearse run --mute` (no sound at all), and `rehearse run --record --mute`
with speech played into the tests' private PulseAudio server's microphone, so that the
level meter moves. Targets: at most 3 wake-ups a second without sound; with recording at
most 25, and less CPU than termdown. This script is not a Rust target, so `cargo test`
never runs it; it prints figures, nothing more.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from record import speech, start_rig  # noqa: E402
from run_timing import Pty, Rehearse, cpu_seconds, machine, spread, thread_counts  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RIG = ROOT / "tests/cli/rig/pulse-rig"

TARGET_QUIET_WAKEUPS = 3
TARGET_RECORDING_WAKEUPS = 25


def sample(argv, env, until, seconds):
    """Starts `argv` in a pseudo-terminal, waits for `until` on its screen and a second
    more, then samples it for `seconds`: (wake-ups a second, CPU seconds a minute, wake-ups
    a second by thread name)."""
    t = Pty(env, argv)
    if t.read(until=until, at=t.started + 15) is None:
        sys.exit(f"{argv[0]} showed no {until!r}: {bytes(t.screen[-400:])!r}")
    t.read(at=time.monotonic() + 1.0)
    cpu0, (_, sw0), by0 = cpu_seconds(t.p.pid), thread_counts(t.p.pid), by_thread(t.p.pid)
    t0 = time.monotonic()
    t.read(at=t0 + seconds)
    cpu1, (_, sw1), by1 = cpu_seconds(t.p.pid), thread_counts(t.p.pid), by_thread(t.p.pid)
    elapsed = time.monotonic() - t0
    t.p.terminate()
    t.finish()
    threads = {}
    for tid, (name, n) in by1.items():
        if tid in by0:
            threads[name] = threads.get(name, 0) + (n - by0[tid][1]) / elapsed
    return (sw1 - sw0) / elapsed, (cpu1 - cpu0) * 60 / elapsed, threads


def by_thread(pid):
    """Context switches of each thread alive now: {tid: (name, count)}."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            rows = (task / "status").read_text().splitlines()
        except OSError:
            continue
        n = sum(int(r.split()[1]) for r in rows
                if r.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")))
        out[task.name] = (name, n)
    return out


class Env:
    """What `Pty` needs of a runner: the environment to start programs in."""

    def __init__(self, env):
        self.env = env


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="sample length (60)")
    parser.add_argument("--runs", type=int, default=2, help="runs of each (2)")
    parser.add_argument("--bin", type=Path)
    opts = parser.parse_args()
    binary = opts.bin
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = ROOT / "target/release/rehearse"
    m = machine()
    print(f"machine: {m['cores']} cores, {m['model']}; load average {m['load']} at the start")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        r = Rehearse(binary, tmp)
        rig = start_rig(tmp / "rig")
        spoken = speech(tmp, opts.seconds + 30)
        base = [str(binary), "run", r.bank(1), "--all", "--time", "3m", "--auto",
                "--no-coach", "--mute"]
        rows = []
        try:
            quiet = [sample([*base, "--log-dir", str(r.log_dir())], r, b"Question 1/",
                            opts.seconds) for _ in range(opts.runs)]
            rows.append(("rehearse run --mute", quiet, TARGET_QUIET_WAKEUPS))
            recording = []
            for _ in range(opts.runs):
                player = subprocess.Popen(["paplay", "--device=rig_mic", str(spoken)],
                                          env={**os.environ, **rig})
                try:
                    argv = [*base, "--record", "--log-dir", str(r.log_dir())]
                    recording.append(sample(argv, Env({**r.env, **rig}), b"Question 1/",
                                            opts.seconds))
                finally:
                    player.kill()
                    player.wait()
            rows.append(("rehearse run --record --mute", recording, TARGET_RECORDING_WAKEUPS))
        finally:
            subprocess.run(["bash", str(RIG), "stop", str(tmp / "rig")], capture_output=True)
        termdown = shutil.which("termdown")
        if termdown:
            # termdown's own environment: it may live in a Python of the user's.
            runs = [sample([termdown, "3m"], Env(dict(os.environ)), b"\x1b", opts.seconds)
                    for _ in range(opts.runs)]
            rows.append(("termdown 3m", runs, None))
        print(f"\n{opts.seconds:g} s sampled once the countdown has started, "
              f"{opts.runs} runs each (min / median / max):")
        for label, runs, target in rows:
            wake = spread([w for w, _, _ in runs], unit="/s", digits=1)
            cpu = spread([c for _, c, _ in runs], unit="s", digits=3)
            goal = f" (target at most {target})" if target else ""
            print(f"  {label:30} wake-ups {wake}{goal}; CPU a minute {cpu}")
            # The threads of the first run, busiest first.
            threads = sorted(runs[0][2].items(), key=lambda kv: -kv[1])
            print("    by thread: " + ", ".join(f"{n} {w:.1f}" for n, w in threads if w >= 0.05))
        if not termdown:
            print("  termdown is not installed (pip install termdown): no comparison")


if __name__ == "__main__":
    main()
