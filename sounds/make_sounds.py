#!/usr/bin/env python3
"""Synthesise the audio cues used by `rehearse` (timed mock-interview coach).

Writes six 48 kHz, mono, 16-bit PCM WAV files next to this script:

    prep.wav      thinking time begins       one soft note
    start.wav     answer time begins         rising two-note chime
    warning.wav   time is running low        two short beeps
    tick.wav      last seconds, once a sec   one short soft tick
    time_up.wav   time is up                 low gong
    finish.wav    session complete           four-note rising arpeggio

Each cue is a sequence of notes separated by exact digital silence (zero
samples).  Every note is a sine at its fundamental plus at most a little
harmonic warmth (<= 15 % amplitude, so zero crossings stay at the
fundamental), shaped by a raised-cosine attack and release and an optional
gentle exponential decay.  All cues are normalised to the same RMS over
their note samples (gap silence excluded), -16 dBFS, where
dBFS = 20*log10(rms / 32768); the peak stays below -1 dBFS (29,204).

Only the Python 3 standard library is used and nothing is random, so the
output is byte-for-byte identical on every run.  Regenerate with:

    python3 sounds/make_sounds.py

(from any directory; files are written to the folder containing this script).
See sounds/README.md for the exact signature of each cue.
"""

import math
import os
import sys
import wave
from array import array

RATE = 48_000                     # samples per second
FULL_SCALE = 32768                # 0 dBFS reference for RMS / peak figures
TARGET_RMS_DBFS = -16.0           # loudness of every cue (RMS of note samples)
PEAK_LIMIT = 29_204               # -1 dBFS: no sample may exceed this
OUT_DIR = os.path.dirname(os.path.abspath(__file__))


def note(freq, ms, attack=5, release=15, end_level=1.0, harmonics=()):
    """One note: (freq Hz, duration ms, envelope and timbre settings).

    attack, release -- raised-cosine fade-in / fade-out lengths in ms
                       (both lie inside the note's duration).
    end_level       -- exponential decay: relative amplitude reached at the
                       end of the note (1.0 = no decay).
    harmonics       -- (multiple, relative amplitude) pairs, amplitude <= 0.15.
    """
    return {"freq": freq, "ms": ms, "attack": attack, "release": release,
            "end_level": end_level, "harmonics": tuple(harmonics)}


def gap(ms):
    """Exact digital silence between two notes."""
    return {"gap": ms}


WARM = ((2, 0.10), (3, 0.04))     # gentle 2nd/3rd harmonics for chime notes

# name -> sequence of notes and gaps.  Durations include attack and release;
# a cue's total length is exactly the sum of its notes and gaps.
CUES = {
    "prep": [
        note(392, 300, attack=20, release=20, harmonics=((2, 0.06),)),
    ],
    "start": [
        note(523, 120, end_level=0.7, harmonics=WARM),
        gap(40),
        note(784, 250, end_level=0.5, harmonics=WARM),
    ],
    "warning": [
        note(880, 100, attack=4, release=10),
        gap(80),
        note(880, 100, attack=4, release=10),
    ],
    "tick": [
        note(1568, 100, attack=2, release=10, end_level=0.35),
    ],
    "time_up": [
        note(220, 700, attack=6, release=20, end_level=0.4,
             harmonics=((2, 0.12), (3, 0.03))),
    ],
    "finish": [
        note(523, 110, end_level=0.7, harmonics=WARM),
        gap(40),
        note(659, 110, end_level=0.7, harmonics=WARM),
        gap(40),
        note(784, 110, end_level=0.7, harmonics=WARM),
        gap(40),
        note(1047, 110, end_level=0.6, harmonics=WARM),
    ],
}


def samples(ms):
    return round(RATE * ms / 1000)


def render_note(n):
    """Unscaled float samples of one note (fundamental amplitude 1.0)."""
    length = samples(n["ms"])
    attack = samples(n["attack"])
    release = samples(n["release"])
    out = []
    for i in range(length):
        t = i / RATE
        env = n["end_level"] ** (i / length)                 # gentle decay
        if i < attack:                                         # fade in
            env *= 0.5 - 0.5 * math.cos(math.pi * i / attack)
        if i >= length - release:                              # fade out
            env *= 0.5 - 0.5 * math.cos(math.pi * (length - i) / release)
        phase = 2 * math.pi * n["freq"] * t
        wave_value = math.sin(phase)
        for multiple, amp in n["harmonics"]:
            wave_value += amp * math.sin(multiple * phase)
        out.append(env * wave_value)
    return out


def render_cue(parts):
    """Return (float samples, indices of note samples) for one cue."""
    out, note_idx = [], []
    for part in parts:
        if "gap" in part:
            out.extend([0.0] * samples(part["gap"]))
        else:
            start = len(out)
            out.extend(render_note(part))
            note_idx.extend(range(start, len(out)))
    return out, note_idx


def rms(values):
    return math.sqrt(sum(v * v for v in values) / len(values))


def write_wav(path, ints):
    data = array("h", ints)
    if sys.byteorder == "big":
        data.byteswap()                                        # WAV is little-endian
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data.tobytes())


def main():
    rendered = {name: render_cue(parts) for name, parts in CUES.items()}

    # One common RMS for all cues: -16 dBFS, lowered if any cue would clip.
    target = FULL_SCALE * 10 ** (TARGET_RMS_DBFS / 20)
    for raw, idx in rendered.values():
        crest = max(abs(v) for v in raw) / rms([raw[i] for i in idx])
        target = min(target, PEAK_LIMIT / crest)

    for name, (raw, idx) in rendered.items():
        gain = target / rms([raw[i] for i in idx])
        ints = [int(round(v * gain)) for v in raw]
        path = os.path.join(OUT_DIR, name + ".wav")
        write_wav(path, ints)
        peak = max(abs(v) for v in ints)
        level = 20 * math.log10(rms([ints[i] for i in idx]) / FULL_SCALE)
        print(f"{name + '.wav':12} {len(ints) / RATE * 1000:5.0f} ms  "
              f"peak {peak:5d} ({20 * math.log10(peak / FULL_SCALE):5.1f} dBFS)  "
              f"RMS {level:6.2f} dBFS")


if __name__ == "__main__":
    main()
