#!/usr/bin/env python3
"""What the interviewer's voice (`--speak`, issue 15) costs: rendering a question with
espeak-ng, and whether the next question still starts at once.

    python3 benches/voice_timing.py            # builds target/release/rehearse; ~2 minutes
    python3 benches/voice_timing.py --runs 1 --bin path/to/rehearse

Standard library only, plus espeak-ng and, for the sessions, a private PulseAudio server
(`tests/cli/rig/pulse-rig`: pulseaudio, pulseaudio-utils, libasound2-plugins), so the
speech is really played, in real time, as on a desktop. Figures are min / median / max.

1. Rendering: every question of the built-in Healthcare Records Manager bank rendered as
   rehearse renders it (`espeak-ng -w FILE`, the text on standard input), timed from
   start to exit, and the length of speech it gives.
2. The next question: sessions of 8 of those questions with `--speak`, keys as lines on
   standard input. One second after each reading ends (`answer now`), Enter (an empty
   line) ends the answer; measured are the time from that line to the next question on standard output,
   the log's `question_started` minus the previous `question_ended`, and how long after
   its question started each reading began (`question_spoken` minus `question_started`
   minus the length of its WAV). The same sessions without `--speak` are the baseline.
"""

import argparse
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGET_NEXT_MS = 50

# How long each answer lasts: Enter comes this long after the reading ends.
ANSWER_S = 1.0


def spread(values, unit="ms", digits=1):
    if not values:
        return "no values"
    f = f"{{:.{digits}f}}"
    lo, mid, hi = min(values), statistics.median(values), max(values)
    return f"{f.format(lo)} / {f.format(mid)} / {f.format(hi)} {unit}"


def line(label, values, target=None, unit="ms", digits=1):
    text = f"  {label:<52} {spread(values, unit, digits)}"
    if target is not None and values:
        text += f"   (target < {target} {unit}: {'ok' if max(values) < target else 'MISSED'})"
    print(text, flush=True)


def render(text, out):
    """Renders `text` as rehearse does; returns (seconds it took, seconds of speech)."""
    t0 = time.monotonic()
    subprocess.run(["espeak-ng", "-w", str(out)], input=text.encode(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    took = time.monotonic() - t0
    with wave.open(str(out)) as w:
        return took, w.getnframes() / w.getframerate()


class Rig:
    """A private PulseAudio server with virtual speakers, stopped when done."""

    def __init__(self, work):
        self.dir = Path(work) / "rig"
        script = ROOT / "tests/cli/rig/pulse-rig"
        out = subprocess.run(["bash", str(script), "start", str(self.dir)], check=True,
                             capture_output=True, text=True).stdout
        self.env = {}
        for pair in out.strip().removeprefix("export ").split("' "):
            k, _, v = pair.partition("=")
            self.env[k] = v.strip("'")

    def stop(self):
        subprocess.run(["bash", str(ROOT / "tests/cli/rig/pulse-rig"), "stop", str(self.dir)],
                       capture_output=True)


def texts_of_the_default_bank(binary, env, work):
    logs = Path(work) / "plan-logs"
    subprocess.run([binary, "run", "healthcare-records-manager", "--all", "--time", "1s",
                    "--gap", "0", "--mute", "--no-coach", "--log-dir", str(logs)],
                   env=dict(env, REHEARSE_VIRTUAL_CLOCK="1"), stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    first = json.loads(next(logs.glob("*.jsonl")).read_text().splitlines()[0])
    return [q["text"] for q in first["plan"]]


def session(binary, env, bank, logs, speak):
    """One session answered by Enter after each reading; returns the latencies (ms) from
    Enter to the next question's line, and the log's records."""
    argv = [binary, "run", str(bank), "--all", "--time", "60s", "--no-coach",
            "--log-dir", str(logs)] + (["--speak"] if speak else [])
    p = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, bufsize=0)
    buffered = b""

    def wait_for(prefix, limit=30.0):
        nonlocal buffered
        deadline = time.monotonic() + limit
        while True:
            while b"\n" in buffered:
                row, buffered = buffered.split(b"\n", 1)
                if row.startswith(prefix):
                    return time.monotonic()
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([p.stdout], [], [], left)[0]:
                sys.exit(f"no {prefix!r} line within {limit} s")
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                sys.exit(f"rehearse ended before {prefix!r}: {p.stderr.read().decode()}")
            buffered += chunk

    latencies = []
    count = bank.read_text().count("[[questions]]")
    wait_for(b"[1] ")
    for i in range(1, count + 1):
        if speak:
            wait_for(b"answer now")
        # Past the start cue (0.41 s and a breath), which a reading would wait for.
        time.sleep(ANSWER_S)
        p.stdin.write(b"\n")
        sent = time.monotonic()
        if i < count:
            latencies.append((wait_for(f"[{i + 1}] ".encode()) - sent) * 1000)
    p.stdin.close()
    p.stdout.read()
    if p.wait() != 0:
        sys.exit(f"the session failed: {p.stderr.read().decode()}")
    records = [json.loads(r) for r in next(Path(logs).glob("*.jsonl")).read_text().splitlines()]
    return latencies, records


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="sessions of each kind (default 3)")
    parser.add_argument("--bin", help="a rehearse binary to use instead of building one")
    args = parser.parse_args()
    for tool in ("espeak-ng", "pulseaudio", "pactl"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed: apt-get install espeak-ng pulseaudio pulseaudio-utils "
                     "libasound2-plugins")
    if args.bin:
        binary = str(Path(args.bin).resolve())
    else:
        print("building: cargo build --release", flush=True)
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = str(ROOT / "target/release/rehearse")
    with tempfile.TemporaryDirectory(prefix="rehearse-voice-bench-") as work:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": f"{work}/home",
            "REHEARSE_CONFIG": f"{work}/no-config.toml",
            "REHEARSE_DATA_DIR": f"{work}/data",
            "LANG": "C.UTF-8",
        }
        print(f"binary: {binary}; {os.cpu_count()} cores; load average "
              f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
        texts = texts_of_the_default_bank(binary, env, work)

        print(f"\n1. Rendering one question with espeak-ng ({len(texts)} questions of the "
              f"default bank, {args.runs} times each)", flush=True)
        took, speech, lengths = [], [], {}
        for _ in range(args.runs):
            for i, text in enumerate(texts):
                t, s = render(text, Path(work) / "q.wav")
                took.append(t * 1000)
                speech.append(s)
                lengths[i + 1] = s * 1000
        line("time to render a question (espeak-ng -w)", took)
        line("speech it gives", speech, unit="s", digits=2)
        line("rendering time per second of speech", [t / s for t, s in zip(took, speech)],
             unit="ms/s", digits=2)

        bank = Path(work) / "eight.toml"
        bank.write_text("".join(f'[[questions]]\nid = "q{i + 1}"\ntext = {json.dumps(t)}\n\n'
                                for i, t in enumerate(texts[:8])))
        rig = Rig(work)
        try:
            env.update(rig.env)
            print(f"\n2. The next question: 8 questions, Enter {ANSWER_S} s after each reading, "
                  f"{args.runs} sessions each, on a private PulseAudio server", flush=True)
            for speak in (False, True):
                enter, engine, delay = [], [], []
                for n in range(args.runs):
                    logs = Path(work) / f"logs-{speak}-{n}"
                    latencies, records = session(binary, env, bank, logs, speak)
                    enter += latencies
                    at = {}
                    for r in records:
                        at.setdefault((r["event"], r.get("index")), r)
                    for i in range(2, 9):
                        engine.append(at[("question_started", i)]["t_ms"]
                                      - at[("question_ended", i - 1)]["t_ms"])
                    if speak:
                        for i in range(1, 9):
                            spoken = at[("question_spoken", i)]
                            assert not spoken["cut"], spoken
                            delay.append(spoken["t_ms"] - at[("question_started", i)]["t_ms"]
                                         - lengths[i])
                label = "--speak" if speak else "without --speak"
                line(f"Enter to the next question on stdout ({label})", enter, TARGET_NEXT_MS)
                line(f"log: question_started - previous question_ended ({label})", engine,
                     TARGET_NEXT_MS, digits=0)
                if speak:
                    line("reading began after its question started", delay, TARGET_NEXT_MS)
        finally:
            rig.stop()


if __name__ == "__main__":
    main()
