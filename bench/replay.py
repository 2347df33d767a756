#!/usr/bin/env python3
"""Try another combiner on the rows moe's combiners had, and pair it with moe's mixture repeat by repeat.

Reads benchmark folders written with the experts' outputs kept:

    OUTPUTS=1 OUT=runs/public bench/benchmark.sh
    OUTPUTS=1 OUT=runs/held-out bench/benchmark.sh held-out
    bench/replay.py knora-u runs/public runs/held-out/held-out

Each folder holds NAME.json (the report) and NAME.outputs.csv (moe evaluate --outputs): per repeat, the combiner's
rows with every expert's out-of-fold probabilities, the choice's folds and each candidate's out-of-fold log-loss, and
the test rows with the experts' and the mixture's probabilities. For every repeat the combiner named is fitted on
the combiner's rows and scored on the test rows, and its cross-validated log-loss is computed on moe's own folds.
Printed, per data set and pooled per folder and over all: the combiner's test accuracy minus the mixture's, used
always (A) and as a third candidate (B: taken only where its cross-validated log-loss is below that of the combiner
moe chose, so the mixture's accuracy otherwise), mean ± standard error over the paired repeats, with how many were
higher and lower. Before anything, each repeat's file is checked against its report: averaging the experts' test
columns must give the report's uniform accuracy and the mixture's columns its moe accuracy.

Combiners (add your own to COMBINERS: a function of the combiner's rows, their features standardised over all of
them, labels and experts' probabilities, that returns a function of other rows):
  uniform            the experts' plain average (a check: its accuracy is the report's uniform)
  knora-u            dynamic ensemble selection, KNORA-U: each expert weighted by how many of the row's 7 nearest
                     combiner's rows (features standardised over them) its argmax gets right
  local-likelihood   each expert weighted by exp(its mean log-probability of the labels of those 7 rows)
These two are the rules docs/real-data-log.md reports ("Dynamic ensemble selection"). numpy only.
"""
import csv
import glob
import json
import os
import sys

import numpy as np

MIN_PROBABILITY = 1e-7  # as moe's choice holds a probability before its log
NEIGHBOURS = 7


def read_outputs(csv_path, report):
    """Per seed: a dict of the combiner's ('gate') and the test rows' arrays."""
    labels = report["labels"]
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    p_columns = [i for i, name in enumerate(header) if name.startswith("p:")]
    features = list(range(header.index("label") + 1, p_columns[0]))
    experts = []
    for block in range(0, len(p_columns), len(labels)):
        name = header[p_columns[block]]
        experts.append(name[2:len(name) - len(labels[0]) - 1])
    if experts[-1] != "moe":
        raise SystemExit(f"{csv_path}: the last probability columns are not the mixture's")
    index = {label: k for k, label in enumerate(labels)}
    repeats = {}
    for row in rows:
        repeats.setdefault(int(row[0]), {"gate": [], "test": []})[row[1]].append(row)
    out = {}
    for seed, parts in repeats.items():
        r = {"combiner": parts["gate"][0][2]}
        for part in ("gate", "test"):
            cells = parts[part]
            r[part + "_x"] = np.array([[float(c[i]) for i in features] for c in cells])
            r[part + "_y"] = np.array([index[c[4]] for c in cells])
            p = np.array([[float(c[i]) if c[i] else np.nan for i in p_columns] for c in cells], dtype=np.float32)
            r[part + "_p"] = p.reshape(len(cells), len(experts), len(labels)).transpose(1, 0, 2)  # experts x rows x labels
        r["fold"] = np.array([int(c[3]) for c in parts["gate"]])
        loss_column = header.index("cv-loss:" + r["combiner"])
        r["chosen_cv"] = float(np.mean([float(c[loss_column]) for c in parts["gate"]]))
        out[seed] = r
    return out


def standardise(r):
    """The features of both row sets standardised with the combiner's rows' mean and deviation (labels unused)."""
    mean, sd = r["gate_x"].mean(0), r["gate_x"].std(0)
    sd[sd == 0] = 1.0
    return (r["gate_x"] - mean) / sd, (r["test_x"] - mean) / sd


def nearest(query, reference, k):
    distance = (query * query).sum(1)[:, None] - 2 * query @ reference.T + (reference * reference).sum(1)[None, :]
    part = np.argpartition(distance, k - 1, axis=1)[:, :k]
    order = np.lexsort((part, np.take_along_axis(distance, part, 1)), axis=1)
    return np.take_along_axis(part, order, 1)


def local(figure, weights):
    """A combiner that weights the experts row by row from their figures on the row's nearest combiner's rows.

    figure(p, y): experts x rows, each expert's figure on each combiner's row;
    weights(f): rows x experts x neighbours of those figures -> rows x experts, unnormalised."""
    def fit(x, y, p):
        per_row = figure(p, y)

        def predict(rows_x, rows_p):
            w = weights(per_row[:, nearest(rows_x, x, NEIGHBOURS)].transpose(1, 0, 2))
            w = w / w.sum(1, keepdims=True)
            return np.einsum("re,erc->rc", w, rows_p.astype(np.float64))
        return predict
    return fit


def right(p, y):
    """1 where the expert's most probable label is the row's."""
    return (p.argmax(2) == y[None, :]).astype(np.float64)


def log_likelihood(p, y):
    """The expert's log-probability of the row's label, held at log(1e-3) or more."""
    return np.log(np.maximum(p[:, np.arange(y.size), y].astype(np.float64), 1e-3))


def counts(f):
    """KNORA-U: how many neighbours each expert gets right; none right anywhere: equal weights."""
    w = f.sum(2)
    return np.where(w.sum(1, keepdims=True) == 0, 1.0, w)


def geometric(f):
    """exp of each expert's mean log-likelihood over the neighbours (shifted per row, for range)."""
    m = f.mean(2)
    return np.exp(m - m.max(1, keepdims=True))


def uniform(x, y, p):
    return lambda rows_x, rows_p: rows_p.astype(np.float64).mean(0)


COMBINERS = {"uniform": uniform, "knora-u": local(right, counts),
             "local-likelihood": local(log_likelihood, geometric)}


def average_as_moe(p):
    """The experts' average as moe's uniform computes it: float32, summed in order, times 1/E."""
    total = np.zeros_like(p[0])
    for expert in p:
        total = total + expert
    return total * np.float32(1.0 / p.shape[0])


def replay(r, fit):
    experts = slice(0, r["gate_p"].shape[0] - 1)  # the last block is the mixture's (empty on the combiner's rows)
    gate_x, test_x = standardise(r)
    cv = np.empty(r["gate_y"].size)
    for f in np.unique(r["fold"]):
        train, held = r["fold"] != f, r["fold"] == f
        predict = fit(gate_x[train], r["gate_y"][train], r["gate_p"][experts][:, train])
        p = predict(gate_x[held], r["gate_p"][experts][:, held])
        cv[held] = -np.log(np.maximum(p[np.arange(held.sum()), r["gate_y"][held]], MIN_PROBABILITY))
    predict = fit(gate_x, r["gate_y"], r["gate_p"][experts])
    test = predict(test_x, r["test_p"][experts])
    accuracy = float((test.argmax(1) == r["test_y"]).mean())
    mixture = float((r["test_p"][-1].argmax(1) == r["test_y"]).mean())
    averaging = float((average_as_moe(r["test_p"][experts]).argmax(1) == r["test_y"]).mean())
    return accuracy - mixture, cv.mean() < r["chosen_cv"], mixture, averaging


def summary(differences):
    d = np.asarray(differences)
    se = d.std(ddof=1) / np.sqrt(d.size) if d.size > 1 else 0.0
    return f"{d.mean():+.4f} ± {se:.4f} ({int((d > 1e-12).sum())} higher, {int((d < -1e-12).sum())} lower)"


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in COMBINERS:
        raise SystemExit(f"usage: bench/replay.py {{{'|'.join(COMBINERS)}}} FOLDER...")
    fit = COMBINERS[sys.argv[1]]
    everything = {"A": [], "B": [], "taken": 0}
    for folder in sys.argv[2:]:
        pooled = {"A": [], "B": [], "taken": 0}
        for csv_path in sorted(glob.glob(os.path.join(folder, "*.outputs.csv"))):
            name = os.path.basename(csv_path)[:-len(".outputs.csv")]
            report = json.load(open(os.path.join(folder, name + ".json")))
            results = {x["model"]: x["perRepeat"] for x in report["results"]}
            repeats = read_outputs(csv_path, report)
            a, b, taken = [], [], 0
            for i, seed in enumerate(report["seeds"]):
                difference, chosen, mixture, averaging = replay(repeats[seed], fit)
                if mixture != results["moe"][i] or averaging != results["uniform"][i]:
                    raise SystemExit(f"{csv_path}: seed {seed}: the file's mixture and averaging give {mixture} and "
                                     f"{averaging}, the report {results['moe'][i]} and {results['uniform'][i]}")
                a.append(difference)
                b.append(difference if chosen else 0.0)
                taken += chosen
            print(f"{folder}/{name}: A {summary(a)}   B {summary(b)}, taken in {taken} of {len(a)}")
            pooled["A"] += a
            pooled["B"] += b
            pooled["taken"] += taken
        print(f"{folder}, pooled over {len(pooled['A'])} repeats: A {summary(pooled['A'])}   B {summary(pooled['B'])},"
              f" taken in {pooled['taken']}\n")
        for key in everything:
            everything[key] += pooled[key]
    print(f"all, {len(everything['A'])} repeats: A {summary(everything['A'])}   B {summary(everything['B'])},"
          f" taken in {everything['taken']}")


if __name__ == "__main__":
    main()
