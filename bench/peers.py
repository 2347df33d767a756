"""moe against what a user would glue together by hand in scikit-learn, on the very rows moe used.

For each config: the rows moe-bench's PeerSplits wrote (ROWS/NAME/SEED/train.csv and test.csv, one folder per
repeat) train scikit-learn's counterparts of the config's experts, its soft vote (VotingClassifier) and its
stacking (StackingClassifier, a LogisticRegression on the experts' cross-validated probabilities, with as many folds
as moe's cross-fitting); each is scored on the repeat's test rows, and moe's mixture's accuracy on the same rows
comes from its JSON report (REPORTS/NAME.json, bench/benchmark.sh's). Prints one markdown table: mean accuracy over
the repeats and moe's paired difference with each, mean ± standard error over the repeats; every repeat's figures go
to ROWS/NAME/peers.json.

usage: /usr/bin/python3 bench/peers.py ROWS REPORTS NAME...   (Debian's scikit-learn 1.2, xgboost 1.7)
"""
import json
import os
import statistics
import sys
import time
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import StackingClassifier, VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from xgboost import XGBClassifier


# What is expected and said in the docs, also in joblib's worker processes: MLPs that run all their epochs
# (ConvergenceWarning), a label rarer than the stacking's folds, a fold's full batch smaller than the rows.
os.environ["PYTHONWARNINGS"] = "ignore::UserWarning,ignore::RuntimeWarning"
# The experts are fitted side by side on every core, as moe fits its own; each expert itself on one thread.
JOBS = len(os.sched_getaffinity(0))


class LabelSubset(ClassifierMixin, BaseEstimator):
    """A specialist: trains its estimator on the rows of some labels only (the config's `subset: labels:`), and
    gives the other labels probability 0, so that scikit-learn's combiners see every label's column."""

    def __init__(self, estimator, labels):
        self.estimator = estimator
        self.labels = labels

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        keep = np.isin(y, self.labels)
        self.estimator_ = clone(self.estimator).fit(X[keep], y[keep])
        self.columns_ = np.searchsorted(self.classes_, self.estimator_.classes_)
        return self

    def predict_proba(self, X):
        p = np.zeros((X.shape[0], len(self.classes_)))
        p[:, self.columns_] = self.estimator_.predict_proba(X)
        return p

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class Encoded(ClassifierMixin, BaseEstimator):
    """XGBoost 1.7's scikit-learn wrapper refuses labels other than 0..K-1, and a stacking fold of shuttle's training
    rows can lack a rare label: its labels are encoded in each fit, as scikit-learn's own classifiers do."""

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y):
        self.classes_, encoded = np.unique(y, return_inverse=True)
        self.estimator_ = clone(self.estimator).fit(X, encoded)
        return self

    def predict_proba(self, X):
        return self.estimator_.predict_proba(X)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def expert(spec, seed, rows):
    """scikit-learn's nearest counterpart of one expert of the config (its provider's defaults where it says none)."""
    p = spec["params"]
    if spec["provider"] == "nd4j-mlp":
        hidden = p.get("hidden", [32])
        epochs = int(p.get("epochs", 500))
        # moe's nd4j-mlp: standardised inputs, ReLU, Adam, full batch, no weight penalty, every epoch run.
        return make_pipeline(StandardScaler(), MLPClassifier(
            hidden_layer_sizes=tuple(hidden if isinstance(hidden, list) else [hidden]), activation="relu",
            solver="adam", learning_rate_init=float(p.get("learning-rate", 0.001)), batch_size=rows, alpha=0.0,
            max_iter=epochs, n_iter_no_change=epochs, random_state=seed))
    if spec["provider"] != "tribuo":
        raise SystemExit(f"peers: no scikit-learn counterpart for provider {spec['provider']} (expert {spec['id']})")
    algorithm = p["algorithm"]
    standardise = p.get("standardise", algorithm in ("logistic-regression", "knn"))
    if algorithm == "logistic-regression":
        model = LogisticRegression(max_iter=1000)
    elif algorithm == "cart":
        depth = p.get("max-depth")
        model = DecisionTreeClassifier(min_samples_leaf=int(p.get("min-child-weight", 5)), max_depth=depth,
                                       random_state=seed)
    elif algorithm == "knn":
        model = KNeighborsClassifier(int(p.get("k", 5)))
    elif algorithm == "xgboost":
        model = Encoded(XGBClassifier(n_estimators=int(p.get("trees", 50)), learning_rate=float(p.get("eta", 0.3)),
                              max_depth=int(p.get("max-depth", 6)), min_child_weight=float(p.get("min-child-weight", 1)),
                              tree_method="exact", n_jobs=1, random_state=seed, verbosity=0))
    else:
        raise SystemExit(f"peers: no scikit-learn counterpart for tribuo's {algorithm} (expert {spec['id']})")
    return make_pipeline(StandardScaler(), model) if standardise else model


def experts(config, seed, labels, y, rows):
    named = []
    for spec in config["experts"]:
        if spec.get("features") or spec.get("fraction"):
            raise SystemExit(f"peers: expert {spec['id']}: subset features/fraction are not reproduced here")
        model = expert(spec, seed, rows)
        if spec.get("labels"):
            if len(np.unique(y)) != len(labels):
                # The combiners encode the labels present; a specialist's label indices would then be off.
                raise SystemExit(f"peers: {spec['id']}: a label is absent from the training rows")
            model = LabelSubset(model, [labels.index(label) for label in spec["labels"]])
        named.append((spec["id"], model))
    return named


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32)  # moe's features are floats
    return data[:, :-1].astype(np.float64), data[:, -1].astype(np.int64)


def run_config(rows_dir, name):
    config = json.load(open(os.path.join(rows_dir, name, "config.json")))
    runs = []
    for repeat in config["repeats"]:
        seed = repeat["seed"]
        folder = os.path.join(rows_dir, name, str(seed))
        X, y = load(os.path.join(folder, "train.csv"))
        X_test, y_test = load(os.path.join(folder, "test.csv"))
        named = experts(config, seed, repeat["labels"], y, len(y))
        vote = VotingClassifier(named, voting="soft", n_jobs=JOBS).fit(X, y)
        accuracy = {"soft vote": float(np.mean(vote.predict(X_test) == y_test))}
        for expert_id, model in vote.named_estimators_.items():
            # The vote fitted its experts on its own encoding of the labels present in the training rows.
            accuracy[expert_id] = float(np.mean(vote.le_.inverse_transform(model.predict(X_test)) == y_test))
        stack = StackingClassifier(named, final_estimator=LogisticRegression(max_iter=1000),
                                   cv=StratifiedKFold(repeat["folds"], shuffle=True, random_state=seed),
                                   stack_method="predict_proba", n_jobs=JOBS).fit(X, y)
        accuracy["stacking"] = float(np.mean(stack.predict(X_test) == y_test))
        runs.append({"seed": seed, "testRows": len(y_test), "trainingRows": len(y), "accuracy": accuracy})
    return config, runs


def paired(a, b):
    d = [x - y for x, y in zip(a, b)]
    se = statistics.stdev(d) / len(d) ** 0.5 if len(d) > 1 else 0.0
    return f"{statistics.mean(d):+.3f} ± {se:.3f}"


def main():
    rows_dir, reports, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    warnings.filterwarnings("ignore", category=UserWarning)  # ConvergenceWarning is one
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    lines = []
    side = []
    totals = {}
    # The five-expert sets first, then the specialists scenarios, each group in the order given.
    names = sorted(names, key=lambda n: n.endswith("-specialists"))
    for name in names:
        report = json.load(open(os.path.join(reports, name + ".json")))
        start = time.time()
        config, runs = run_config(rows_dir, name)
        seconds = time.time() - start
        if report["seeds"] != [r["seed"] for r in runs] or report["testRows"] != runs[0]["testRows"] \
                or report["gateTrainRows"] != runs[0]["trainingRows"]:
            raise SystemExit(f"peers: {name}: moe's report has other seeds or row counts than the rows written")
        results = {r["model"]: r for r in report["results"]}
        moe = results["moe"]["perRepeat"]
        ids = [e["id"] for e in config["experts"]]
        per = {m: [r["accuracy"][m] for r in runs] for m in ["soft vote", "stacking"] + ids}
        best = max(ids, key=lambda m: statistics.mean(per[m]))
        moe_seconds = open(os.path.join(reports, name + ".seconds")).read().strip()
        mean = {m: statistics.mean(v) for m, v in per.items()}
        lines.append(f"| {name} | **{statistics.mean(moe):.3f}** | {mean['soft vote']:.3f} | {mean['stacking']:.3f} "
                     f"| {best} {mean[best]:.3f} | {paired(moe, per['soft vote'])} | {paired(moe, per['stacking'])} "
                     f"| {paired(moe, per[best])} | {moe_seconds} | {seconds:.0f} |")
        moe_best = max(ids, key=lambda m: results[m]["accuracy"])
        side.append(f"| {name} | {moe_best} {results[moe_best]['accuracy']:.3f} | {best} {mean[best]:.3f} "
                    f"| {results['uniform']['accuracy']:.3f} | {mean['soft vote']:.3f} "
                    f"| {results['stacking']['accuracy']:.3f} | {mean['stacking']:.3f} |")
        group = "specialists" if name.endswith("-specialists") else "held-out" if "/" in name else "five experts"
        t = totals.setdefault(group, {"moe": [], "soft vote": [], "stacking": [], "best": []})
        t["moe"].append(statistics.mean(moe))
        t["soft vote"].append(mean["soft vote"])
        t["stacking"].append(mean["stacking"])
        t["best"].append(mean[best])
        print(f"peers: {name} done in {seconds:.0f} s (scikit-learn; moe {moe_seconds} s)", file=sys.stderr)
        # Every repeat's accuracies beside the rows, so that other figures can be made without training again.
        json.dump({"moe": moe, "scikit-learn": per, "seconds": seconds},
                  open(os.path.join(rows_dir, name, "peers.json"), "w"), indent=1)
    print("| config | moe | sklearn soft vote | sklearn stacking | sklearn best expert | moe − soft vote "
          "| moe − stacking | moe − best expert | moe s | sklearn s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(lines))
    for group, t in totals.items():
        m = {k: statistics.mean(v) for k, v in t.items()}
        print(f"| mean, {group} ({len(t['moe'])}) | **{m['moe']:.3f}** | {m['soft vote']:.3f} | {m['stacking']:.3f} "
              f"| {m['best']:.3f} | {m['moe'] - m['soft vote']:+.3f} | {m['moe'] - m['stacking']:+.3f} "
              f"| {m['moe'] - m['best']:+.3f} | | |")
    print()
    print("Each side's own experts and baselines (moe's from its report: its best expert, averaging, its stacking):")
    print()
    print("| config | moe's best expert | sklearn's best expert | moe's averaging | sklearn soft vote "
          "| moe's stacking | sklearn stacking |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(side))


if __name__ == "__main__":
    main()
