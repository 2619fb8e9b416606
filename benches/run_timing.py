#!/usr/bin/env python3
"""How exact `rehearse run` keeps time, and what it costs while it waits (issue 9).

    python3 benches/run_timing.py            # builds target/release/rehearse; ~12 minutes
    python3 benches/run_timing.py --runs 1   # one session of each kind; ~5 minutes
    python3 benches/run_timing.py --only startup,cost --bin path/to/rehearse

Standard library only (plus `strace`, if installed, for the last figure). Each figure is
printed as min / median / max over several runs, with the target of issue 9 beside it.

Most figures come from the session logs the runs write. An engine event's `t_ms` is the
moment the engine says it happened (a deadline is stamped at its due moment); a `cue`
record has the `t_ms` of its event and says in `late_ms` how much later the run loop set
it off (read just before the cue's record is written); the sound is triggered once the
record is synced. A cue's lateness is its `t_ms` plus `late_ms`, minus the moment it
was scheduled for, worked out from the `question_started`, `answer_started` and
`resumed` records and the plan; the sync that follows is measured apart, by tracing one
session. Log times are whole milliseconds, so a lateness of 0 means "under 1 ms", and two
stamps compared can be 1 ms apart by rounding alone.

Without a sound card no `--mute` is needed for cues to be triggered and logged: rehearse
warns once on stderr and goes on. This script is not a Rust target, so `cargo test` never
runs it; it checks that the logs hold what it expects and prints figures, nothing more.
"""

import argparse
import fcntl
import json
import os
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The targets of issue 9.
TARGET_MEDIAN_MS = 5
TARGET_WORST_MS = 20
TARGET_OVERHEAD_MS = 100
TARGET_PAUSE_MS = 5
TARGET_CPU_S = 0.1
TARGET_RSS_MB = 30
TARGET_DRY_RUN_MS = 20
TARGET_FIRST_QUESTION_MS = 100
TARGET_CUE_MS = 5
TARGET_WAKEUPS_PER_S = 2


# ---------------------------------------------------------------------------------------
# Helpers: statistics, printing, the machine


def spread(values, unit="ms", digits=1):
    """`min / median / max` of the values."""
    if not values:
        return "no values"
    f = f"{{:.{digits}f}}"
    lo, mid, hi = min(values), statistics.median(values), max(values)
    return f"{f.format(lo)} / {f.format(mid)} / {f.format(hi)} {unit}".rstrip()


def verdict(ok):
    return "ok" if ok else "MISSED"


def line(label, values, target=None, unit="ms", digits=1, worst=max):
    """One figure: label, min / median / max, and the target it is held to (by `worst`)."""
    text = f"  {label:<44} {spread(values, unit, digits)}"
    if target is not None and values:
        text += f"   (target < {target} {unit}: {verdict(worst(values) < target)})"
    print(text, flush=True)


def machine():
    def first(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    model = "?"
    for row in first(["lscpu"]).splitlines():
        if row.startswith("Model name:"):
            model = row.split(":", 1)[1].strip()
    return {
        "cores": first(["nproc"]),
        "model": model,
        "kernel": first(["uname", "-sr"]),
        "load": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }


def pressure():
    """Microseconds some task waited for a CPU and for I/O, machine-wide (PSI), if known."""
    totals = {}
    for kind in ("cpu", "io"):
        try:
            row = Path(f"/proc/pressure/{kind}").read_text().splitlines()[0]
            totals[kind] = int(row.rsplit("total=", 1)[1])
        except (OSError, IndexError, ValueError):
            return None
    return totals, time.monotonic()


def report_pressure(before):
    """How busy the machine was since `before`: explains outliers caused by other work."""
    after = pressure()
    if before is None or after is None:
        return
    seconds = after[1] - before[1]
    shares = {k: (after[0][k] - before[0][k]) / 1e6 / seconds for k in ("cpu", "io")}
    print(f"  (meanwhile some task waited for a CPU {shares['cpu']:.1%} and for the disk "
          f"{shares['io']:.1%} of the time, machine-wide)", flush=True)


def filesystem_of(path):
    """The file system type holding `path`, from /proc/mounts (longest mount point)."""
    best, kind = "", "?"
    path = str(Path(path).resolve())
    for row in Path("/proc/mounts").read_text().splitlines():
        parts = row.split()
        mount, fstype = parts[1], parts[2]
        if (path == mount or path.startswith(mount.rstrip("/") + "/")) and len(mount) > len(
            best
        ):
            best, kind = mount, fstype
    return f"{kind} on {best}"


# ---------------------------------------------------------------------------------------
# Running rehearse


class Rehearse:
    def __init__(self, binary, work):
        self.binary = str(binary)
        self.work = Path(work)
        self.runs = 0
        # A clean environment: no config file, no user banks, no colour choices.
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.work / "home"),
            "XDG_CONFIG_HOME": str(self.work / "home/.config"),
            "XDG_DATA_HOME": str(self.work / "home/.local/share"),
            "REHEARSE_CONFIG": str(self.work / "no-config.toml"),
            "REHEARSE_DATA_DIR": str(self.work / "data"),
            "LANG": "C.UTF-8",
        }

    def bank(self, n):
        """A bank file with `n` questions q1..qn."""
        path = self.work / f"bank{n}.toml"
        if not path.exists():
            question = '[[questions]]\nid = "q{0}"\ntext = "Question {0}?"\n\n'
            path.write_text("".join(question.format(i) for i in range(1, n + 1)))
        return str(path)

    def log_dir(self):
        self.runs += 1
        return self.work / f"logs/{self.runs}"

    def hands_free(self, n, limit, extra=()):
        """A hands-free run of `n` questions with stdin closed; returns (wall s, records)."""
        logs = self.log_dir()
        argv = [self.binary, "run", self.bank(n), "--all", "--auto", "--gap", "0",
                "--time", limit, "--no-coach", "--log-dir", str(logs), *extra]
        t0 = time.monotonic()
        done = subprocess.run(argv, env=self.env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wall = time.monotonic() - t0
        if done.returncode != 0:
            sys.exit(f"rehearse failed ({done.returncode}): {done.stderr.decode()}")
        return wall, read_log(logs)


def read_log(folder):
    files = list(Path(folder).glob("*.jsonl"))
    if len(files) != 1:
        sys.exit(f"expected one session log in {folder}, found {len(files)}")
    return [json.loads(row) for row in files[0].read_text().splitlines()]


# ---------------------------------------------------------------------------------------
# Reading a session log: deadlines and cue lateness


class Session:
    """The schedule one log implies, and how late each cue was against it."""

    def __init__(self, records):
        self.records = records
        start = records[0]
        assert start["event"] == "session_started", start
        self.plan = {p["index"]: p for p in start["plan"]}
        self.question_started = {}
        self.answer_started = {}
        self.limit = {}
        self.resumes = defaultdict(list)
        self.cues = []
        self.time_up = {}
        self.ended = None
        for r in records:
            event, t, i = r["event"], r["t_ms"], r.get("index")
            if event == "question_started":
                self.question_started[i] = t
                self.limit[i] = r["limit_ms"]
            elif event == "answer_started":
                self.answer_started[i] = t
            elif event == "resumed":
                self.resumes[i].append((t, r["paused_ms"]))
            elif event == "time_up":
                self.time_up[i] = t
            elif event == "cue":
                self.cues.append((r["name"], i, t + r.get("late_ms", 0)))
            elif event == "session_ended":
                self.ended = r
            elif event == "time_adjusted":
                sys.exit("time_adjusted records are not part of this benchmark")
        for i, t in self.question_started.items():
            self.answer_started.setdefault(i, t)

    def paused(self, i, since, until):
        """Pause time of question `i` whose pauses ended after `since`, up to `until`."""
        return sum(ms for t, ms in self.resumes[i] if since < t <= until)

    def deadline(self, i, at=float("inf")):
        """When question `i`'s answer time runs out, counting pauses ended by `at`."""
        start = self.answer_started[i]
        return start + self.limit[i] + self.paused(i, start, at)

    def scheduled(self, name, i, t):
        """The moment a cue was due."""
        if name == "prep":
            return self.question_started[i]
        if name == "start":
            return self.answer_started[i]
        if name == "finish":
            return self.ended["t_ms"]
        deadline = self.deadline(i, t)
        if name == "time_up":
            return deadline
        if name == "warning":
            return deadline - self.plan[i]["warn_ms"]
        if name == "tick":
            # Ticks fall on whole seconds before the deadline; a tick is the nearest one.
            return deadline - 1000 * round((deadline - t) / 1000)
        raise ValueError(name)

    def cue_lateness(self):
        """[(cue name, ms late)] for every cue record."""
        return [(name, t - self.scheduled(name, i, t)) for name, i, t in self.cues]

    def time_up_lateness(self):
        """Per answer: the time_up cue's t_ms minus the deadline."""
        return [t - self.deadline(i) for name, i, t in self.cues if name == "time_up"]

    def engine_stamps_off(self):
        """Answers whose time_up record is not stamped at the deadline (should be none)."""
        return [i for i, t in self.time_up.items() if t != self.deadline(i)]

    def sum_of_limits(self):
        return sum(self.limit.values())

    def total_ms(self):
        return self.ended["total_ms"]


# ---------------------------------------------------------------------------------------
# 1. Timing accuracy


def accuracy(r, runs, cue_sessions):
    print("\n1. Timing accuracy: 20 questions x 3 s, hands-free, --gap 0, stdin closed "
          f"({runs} runs)", flush=True)
    medians, worsts, outside, logged = [], [], [], []
    for _ in range(runs):
        wall, records = r.hands_free(20, "3s")
        s = Session(records)
        cue_sessions.append(s)
        late = s.time_up_lateness()
        assert len(late) == 20, late
        assert not s.engine_stamps_off(), s.engine_stamps_off()
        medians.append(statistics.median(late))
        worsts.append(max(late))
        outside.append(wall * 1000 - s.sum_of_limits())
        logged.append(s.total_ms() - s.sum_of_limits())
        print(f"   run: time_up late by {spread(late, digits=0)}; process "
              f"{wall:.3f} s for {s.sum_of_limits() / 1000:.0f} s of limits", flush=True)
    line("time_up cue lateness, median of a run", medians, TARGET_MEDIAN_MS)
    line("time_up cue lateness, worst of a run", worsts, TARGET_WORST_MS)
    line("process wall time minus sum of limits", outside, TARGET_OVERHEAD_MS)
    line("log total_ms minus sum of limits", logged, TARGET_OVERHEAD_MS, digits=0)

    print(f"\n   No drift: 60 questions x 1 s against 5 questions x 1 s ({runs} runs each; "
          "1 s questions keep the benchmark short)", flush=True)
    for n in (5, 60):
        medians, worsts, last, totals, later = [], [], [], [], []
        for _ in range(runs):
            _, records = r.hands_free(n, "1s")
            s = Session(records)
            cue_sessions.append(s)
            late = s.time_up_lateness()
            assert len(late) == n and not s.engine_stamps_off()
            medians.append(statistics.median(late))
            worsts.append(max(late))
            # Against the ideal schedule: question i ends i seconds after the first began.
            first = s.question_started[1]
            end = [t for name, i, t in s.cues if name == "time_up" and i == n][0]
            last.append(end - first - n * 1000)
            totals.append(s.total_ms() - s.sum_of_limits())
            later.append(statistics.mean(late[-5:]) - statistics.mean(late[:5]))
        line(f"{n:>2} questions: time_up lateness, median", medians, TARGET_MEDIAN_MS)
        line(f"{n:>2} questions: time_up lateness, worst", worsts, TARGET_WORST_MS)
        line(f"{n:>2} questions: last time_up vs first start + {n} s", last)
        line(f"{n:>2} questions: log total_ms minus sum of limits", totals, digits=0)
        if n > 10:
            line(f"{n:>2} questions: mean lateness, last 5 minus first 5", later)


# ---------------------------------------------------------------------------------------
# 2. Pause accuracy


def pause_accuracy(r, runs, cue_sessions):
    """Three questions with 1 s of thinking time and 3 s answers; pauses of 0.25 s, 1 s
    and 2.5 s in the answers and one of 0.5 s while thinking, typed as `p` lines."""
    print(f"\n2. Pause accuracy: pauses of 0.25 s, 0.5 s (while thinking), 1 s and 2.5 s "
          f"({runs} runs)", flush=True)
    errors, engine_errors, prep_errors, outside, typed_ms = [], [], [], [], []
    for _ in range(runs):
        logs = r.log_dir()
        argv = [r.binary, "run", r.bank(3), "--all", "--auto", "--gap", "0", "--time", "3s",
                "--prep", "1s", "--no-coach", "--log-dir", str(logs)]
        p = subprocess.Popen(argv, env=r.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, bufsize=1)

        def wait_for(start):
            for row in p.stdout:
                if row.startswith(start):
                    return
            sys.exit(f"rehearse ended before printing {start!r}")

        def pause(after, length):
            time.sleep(after)
            p.stdin.write("p\n")
            p.stdin.flush()
            t = time.monotonic()
            time.sleep(length)
            p.stdin.write("p\n")
            p.stdin.flush()
            typed_ms.append((time.monotonic() - t) * 1000)

        wait_for("[1] ")
        wait_for("answer now")
        pause(1.0, 0.25)
        wait_for("[2] ")
        pause(0.3, 0.5)
        wait_for("answer now")
        pause(0.5, 1.0)
        wait_for("[3] ")
        wait_for("answer now")
        pause(0.2, 2.5)
        p.stdin.close()
        p.stdout.read()
        if p.wait() != 0:
            sys.exit("the pause run failed")
        s = Session(read_log(logs))
        cue_sessions.append(s)
        logged = [ms for i in sorted(s.resumes) for _, ms in s.resumes[i]]
        assert len(logged) == 4, s.resumes
        outside.extend(ms - typed for ms, typed in zip(logged, typed_ms[-4:]))
        for i in (1, 2, 3):
            start = s.answer_started[i]
            paused = s.paused(i, start, float("inf"))
            assert paused > 0
            cue = [t for name, j, t in s.cues if name == "time_up" and j == i][0]
            errors.append(cue - (start + s.limit[i] + paused))
            engine_errors.append(s.time_up[i] - (start + s.limit[i] + paused))
        # The pause while thinking moves the start of the answer.
        thinking = s.paused(2, s.question_started[2], s.answer_started[2])
        prep = s.plan[2]["prep_ms"]
        prep_errors.append(s.answer_started[2] - (s.question_started[2] + prep + thinking))
    line("time_up cue - (answer start + limit + paused_ms)", errors, TARGET_PAUSE_MS,
         worst=lambda v: max(abs(x) for x in v))
    line("time_up record - (same)", engine_errors, TARGET_PAUSE_MS, digits=0,
         worst=lambda v: max(abs(x) for x in v))
    line("answer start - (start + prep + paused_ms)", prep_errors, TARGET_PAUSE_MS, digits=0,
         worst=lambda v: max(abs(x) for x in v))
    line("paused_ms minus the time between the `p` lines", outside)
    print("  (the last: how the pause rehearse measured compares with the one typed, pipe and "
          "wake-up delays included)")


# ---------------------------------------------------------------------------------------
# A pseudo-terminal


class Pty:
    """rehearse in a 100 x 30 pseudo-terminal, its screen output read and kept."""

    def __init__(self, r, argv, extra_env=()):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = dict(r.env, TERM="xterm-256color", **dict(extra_env))
        self.started = time.monotonic()
        self.p = subprocess.Popen(
            argv, env=env, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
            # The terminal becomes the controlling terminal, as in a real session.
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.screen = bytearray()
        self.closed = False

    def read(self, until=None, at=None):
        """Reads output until `until` appears (returns the time it did) or time `at`."""
        while not self.closed:
            if until is not None and until in self.screen:
                return time.monotonic()
            left = None if at is None else at - time.monotonic()
            if left is not None and left <= 0:
                return None
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    data = b""
                if not data:
                    self.closed = True
                self.screen += data
        return None

    def send(self, keys):
        os.write(self.master, keys)

    def finish(self, timeout=10):
        self.read(at=time.monotonic() + timeout)
        code = self.p.wait(timeout=timeout)
        os.close(self.master)
        return code


def cpu_seconds(pid):
    """utime + stime of the whole process (all threads, also those that ended)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status(pid, key):
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith(key + ":"):
            return int(row.split()[1])
    return 0


def thread_counts(pid):
    """(ns on CPU, context switches) summed over the threads alive now: finer than ticks."""
    ns = switches = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            ns += int((task / "schedstat").read_text().split()[0])
            for row in (task / "status").read_text().splitlines():
                if row.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                    switches += int(row.split()[1])
        except OSError:
            pass
    return ns, switches


# ---------------------------------------------------------------------------------------
# 3. Cost while waiting


def cost(r, runs, cue_sessions):
    print(f"\n3. Cost while waiting: one 20 s answer with the bar drawn in a pseudo-terminal "
          f"({runs} runs --mute, 1 run with audio)", flush=True)
    results = {"mute": [], "audio": []}
    for mode, count in (("mute", runs), ("audio", 1)):
        for _ in range(count):
            logs = r.log_dir()
            argv = [r.binary, "run", r.bank(1), "--all", "--time", "20s", "--no-coach",
                    "--log-dir", str(logs)]
            if mode == "mute":
                argv.append("--mute")
            t = Pty(r, argv)
            if t.read(until=b"Question 1/", at=t.started + 10) is None:
                sys.exit("no question on the terminal")
            # Start-up is over once the bar is drawn; from here on it only waits.
            t.read(at=t.started + 1.0)
            cpu_start, (ns_start, sw_start) = cpu_seconds(t.p.pid), thread_counts(t.p.pid)
            # The answer's 20 s end about 20 s after the start; sample just after that.
            t.read(at=t.started + 20.3)
            cpu_end, (ns_end, sw_end) = cpu_seconds(t.p.pid), thread_counts(t.p.pid)
            hwm = status(t.p.pid, "VmHWM") / 1024
            t.send(b"\r")  # done: the session ends
            code = t.finish()
            if code != 0:
                sys.exit(f"the terminal run failed ({code})")
            if mode == "audio":
                # Its cues were triggered from the terminal's run loop: count them too.
                cue_sessions.append(Session(read_log(logs)))
            results[mode].append({
                "total": cpu_end,
                "waiting": cpu_end - cpu_start,
                "waiting_ns": (ns_end - ns_start) / 1e9,
                "wakeups": (sw_end - sw_start) / 19.3,
                "hwm": hwm,
            })
    for mode, label in (("mute", "--mute"), ("audio", "with audio")):
        rows = results[mode]
        pick = lambda k: [x[k] for x in rows]  # noqa: E731
        line(f"CPU time, whole process to 20.3 s ({label})", pick("total"), TARGET_CPU_S,
             unit="s", digits=3)
        line(f"CPU time, 1 s to 20.3 s ({label})", pick("waiting"), unit="s", digits=3)
        line(f"  same, from schedstat ({label})", pick("waiting_ns"), unit="s", digits=4)
        line(f"context switches per second ({label})", pick("wakeups"), unit="/s", digits=1)
        line(f"peak resident memory VmHWM ({label})", pick("hwm"), TARGET_RSS_MB, unit="MB")


def main_thread_switches(pid):
    """Times the run loop's own thread (the process's first) went to sleep or was put off."""
    total = 0
    for row in Path(f"/proc/{pid}/task/{pid}/status").read_text().splitlines():
        if row.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
            total += int(row.split()[1])
    return total


def wakeups(r, runs):
    print(f"\n3b. Wake-ups of the run loop: a 2-minute answer counting down in a 100-column "
          f"pseudo-terminal, 20 s sampled ({runs} runs --mute)", flush=True)
    rates = []
    for _ in range(runs):
        argv = [r.binary, "run", r.bank(1), "--all", "--time", "2m", "--no-coach", "--mute",
                "--log-dir", str(r.log_dir())]
        t = Pty(r, argv)
        if t.read(until=b"Question 1/", at=t.started + 10) is None:
            sys.exit("no question on the terminal")
        t.read(at=t.started + 2.0)
        start = main_thread_switches(t.p.pid)
        t.read(at=t.started + 22.0)
        end = main_thread_switches(t.p.pid)
        t.send(b"q")
        t.finish()
        rates.append((end - start) / 20.0)
    line("run loop wake-ups per second", rates, TARGET_WAKEUPS_PER_S, unit="/s", digits=2)


# ---------------------------------------------------------------------------------------
# 4. Start-up


def startup(r, runs):
    print("\n4. Start-up", flush=True)
    dry = []
    for _ in range(max(30, runs * 10)):
        t0 = time.monotonic()
        subprocess.run([r.binary, "run", "--dry-run"], env=r.env, stdout=subprocess.DEVNULL,
                       check=True)
        dry.append((time.monotonic() - t0) * 1000)
    line(f"`rehearse run --dry-run`, {len(dry)} runs", dry, TARGET_DRY_RUN_MS)

    # The first question waits for the audio device (at most 4 s), so that its start cue
    # is not late; what is measured is how soon it comes once the device has answered.
    delay_ms = 2000
    slow = {"REHEARSE_TEST_AUDIO_OPEN_DELAY_MS": str(delay_ms)}
    plain, fancy = [], []
    count = max(5, runs * 2)
    for _ in range(count):
        argv = [r.binary, "run", r.bank(3), "--all", "--time", "60s", "--no-coach",
                "--log-dir", str(r.log_dir())]
        t0 = time.monotonic()
        p = subprocess.Popen(argv, env=dict(r.env, **slow), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             bufsize=1)
        for row in p.stdout:
            if row.startswith("[1] "):
                plain.append((time.monotonic() - t0) * 1000 - delay_ms)
                break
        p.stdin.write("q\n")
        p.stdin.close()
        p.stdout.read()
        p.wait()

        t = Pty(r, argv, slow.items())
        # At a terminal the first screen asks whether the person is ready: it must not
        # wait for the device, which opens meanwhile.
        seen = t.read(until=b"Ready?", at=t.started + 10)
        if seen is None:
            sys.exit("no ready line on the terminal")
        fancy.append((seen - t.started) * 1000)
        t.send(b"q")
        t.finish()
    print("   audio device opening takes 2 s (REHEARSE_TEST_AUDIO_OPEN_DELAY_MS=2000); "
          f"time after those 2 s, {count} runs each:")
    line("first question line `[1] ` on a pipe", plain, TARGET_FIRST_QUESTION_MS)
    line("`Ready?` line in a pseudo-terminal (no wait)", fancy, TARGET_FIRST_QUESTION_MS)


# ---------------------------------------------------------------------------------------
# 5. Cue punctuality


def cue_punctuality(sessions):
    print(f"\n5. Cue punctuality: every cue record of the runs above ({len(sessions)} sessions)",
          flush=True)
    by_name = defaultdict(list)
    for s in sessions:
        for name, late in s.cue_lateness():
            by_name[name].append(late)
    every = [x for v in by_name.values() for x in v]
    for name in ("prep", "start", "warning", "tick", "time_up", "finish"):
        if by_name[name]:
            line(f"{name} ({len(by_name[name])} cues)", by_name[name], TARGET_CUE_MS, digits=0)
    line(f"all {len(every)} cues", every, TARGET_CUE_MS, digits=0)
    if every:
        share = sum(1 for x in every if x < TARGET_CUE_MS) / len(every)
        print(f"  {share:.1%} of cues within {TARGET_CUE_MS} ms")


def sync_cost(work, count=200):
    """What one appended and synced log record costs on the log's disk, probed from here."""
    path = Path(work) / "sync-probe.jsonl"
    record = b'{"at":"2026-11-25T14:03:07.123+00:00","t_ms":1000,"event":"cue","name":"tick"}\n'
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    times = []
    try:
        for _ in range(count):
            t0 = time.monotonic()
            os.write(fd, record)
            os.fdatasync(fd)
            times.append((time.monotonic() - t0) * 1000)
    finally:
        os.close(fd)
    line(f"append + fdatasync of one record, {count} probes", times, digits=2)


def traced_calls(path):
    """(call, fd, result, ms) of each write and fdatasync in an `strace -f -T` output."""
    calls, unfinished = [], {}
    for row in Path(path).read_text().splitlines():
        pid, _, rest = row.partition(" ")
        rest = rest.strip()
        start = re.match(r"(write|fdatasync)\((\d+)", rest)
        if start and rest.endswith("<unfinished ...>"):
            unfinished[pid] = (start[1], int(start[2]))
            continue
        if start:
            call, fd = start[1], int(start[2])
        elif re.match(r"<\.\.\. (write|fdatasync) resumed>", rest) and pid in unfinished:
            call, fd = unfinished.pop(pid)
        else:
            continue
        end = re.search(r"= (-?\d+).*<([\d.]+)>$", rest)
        if end:
            calls.append((call, fd, int(end[1]), float(end[2]) * 1000))
    return calls


def sync_before_sound(r):
    """A cue's `t_ms` is read just before its record is written and synced; the sound is
    triggered after the sync. One 20 x 3 s session runs with its writes and syncs traced
    (strace, only those two calls) to add that time to each cue's lateness."""
    print("\n   The sync between a cue's t_ms and its sound, in one traced 20 x 3 s session:")
    if shutil.which("strace") is None:
        print("  (strace is not installed: skipped)")
        return
    logs = r.log_dir()
    shm = Path("/dev/shm")
    trace = (shm if shm.is_dir() else r.work) / f"rehearse-bench-{os.getpid()}.trace"
    argv = ["strace", "-f", "--seccomp-bpf", "-e", "trace=write,fdatasync", "-s", "0", "-T",
            "-o", str(trace), r.binary, "run", r.bank(20), "--all", "--auto", "--gap", "0",
            "--time", "3s", "--no-coach", "--log-dir", str(logs)]
    try:
        subprocess.run(argv, env=r.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        calls = traced_calls(trace)
    finally:
        trace.unlink(missing_ok=True)
    log_fd = statistics.mode(fd for call, fd, _, _ in calls if call == "fdatasync")
    # Each batch: the bytes written since the last sync, and how long writing and syncing took.
    batches, size, took = [], 0, 0.0
    for call, fd, result, ms in calls:
        if fd != log_fd:
            continue
        took += ms
        if call == "write":
            size += max(result, 0)
        else:
            batches.append((size, took))
            size, took = 0, 0.0
    text = next(Path(logs).glob("*.jsonl")).read_bytes()
    session = Session([json.loads(row) for row in text.splitlines()])
    lateness = iter(session.cue_lateness())
    extra, real, offset, batch, batch_end = [], [], 0, -1, 0
    for row in text.splitlines(keepends=True):
        while offset >= batch_end:
            batch += 1
            batch_end += batches[batch][0]
        offset += len(row)
        if json.loads(row)["event"] == "cue":
            _, late = next(lateness)
            extra.append(batches[batch][1])
            real.append(late + batches[batch][1])
    line(f"every log write + sync of the session ({len(batches)})", [b[1] for b in batches],
         digits=2)
    line(f"write + sync before each of its {len(extra)} cues", extra, digits=2)
    line("cue lateness, t_ms late + that sync", real, TARGET_CUE_MS)
    share = sum(1 for x in real if x < TARGET_CUE_MS) / len(real)
    print(f"  {share:.1%} of these sounds within {TARGET_CUE_MS} ms")


# ---------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each session (default 3)")
    parser.add_argument("--bin", help="a rehearse binary to use instead of building one")
    parser.add_argument("--only", help="comma-separated sections: accuracy, pause, cost, wakeups, "
                        "startup, sync (default: all)")
    parser.add_argument("--work", help="folder for banks and logs (default: a new temporary "
                        "folder); it should be on the disk session logs are written to")
    parser.add_argument("--keep", action="store_true", help="keep the banks and logs")
    args = parser.parse_args()
    sections = set((args.only or "accuracy,pause,cost,wakeups,startup,sync").split(","))

    if args.bin:
        binary = Path(args.bin).resolve()
    else:
        print("building: cargo build --release", flush=True)
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = ROOT / "target/release/rehearse"

    if args.keep:
        work = tempfile.mkdtemp(prefix="rehearse-bench-", dir=args.work)
        print(f"keeping banks and logs in {work}")
        measure(args, sections, binary, work)
    else:
        with tempfile.TemporaryDirectory(prefix="rehearse-bench-", dir=args.work) as work:
            measure(args, sections, binary, work)


def measure(args, sections, binary, work):
    r = Rehearse(binary, work)
    m = machine()
    print(f"machine: {m['cores']} cores, {m['model']}, {m['kernel']}; "
          f"load average {m['load']} at the start")
    print(f"binary: {binary}")
    print(f"logs: {work} ({filesystem_of(work)})")
    cue_sessions = []
    steps = [
        ("accuracy", lambda: accuracy(r, args.runs, cue_sessions)),
        ("pause", lambda: pause_accuracy(r, args.runs, cue_sessions)),
        ("cost", lambda: cost(r, args.runs, cue_sessions)),
        ("wakeups", lambda: wakeups(r, args.runs)),
        ("startup", lambda: startup(r, args.runs)),
    ]
    for name, step in steps:
        if name in sections:
            before = pressure()
            step()
            report_pressure(before)
    if cue_sessions:
        cue_punctuality(cue_sessions)
    if "sync" in sections:
        before = pressure()
        sync_before_sound(r)
        sync_cost(work)
        report_pressure(before)
    print(f"\nload average {' '.join(Path('/proc/loadavg').read_text().split()[:3])} "
          "at the end")


if __name__ == "__main__":
    main()
