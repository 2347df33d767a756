#!/usr/bin/python3
"""How the XGBoost models of this repository were made (XGBoost's Python package; no network, no moe needed). The
files it writes are committed: moe's tests and examples read those, never this script.

  apt-get install -y python3-xgboost python3-sklearn python3-pandas   # Debian 12: xgboost 1.7.4, scikit-learn 1.2.1
  /usr/bin/python3 examples/xgboost/make_models.py                    # from the repository root

It writes
  1. test fixtures, moe-experts/moe-expert-xgboost/src/test/resources/xgboost/: small models saved with
     save_model("*.json"), each with the probabilities XGBoost gives on some rows (*.expected.csv: the rows fed, then
     p0..pC-1; 9 significant digits, a float32 exactly):
       wine-softprob      multi:softprob, wine (13 columns, 3 classes), numpy arrays: no feature names
       wine-softprob-3x   the same model as XGBoost 3.1+ spells it (edited here: base_score "[5E-1]", version 3.0.0;
                          3.0.4 in fact writes "5E-1"; real files of 2.1.4, 3.0.4 and 3.4.0 are made by
                          moe-experts/moe-expert-xgboost/fixtures-jvm/make-fixtures.sh)
       wine-softmax       multi:softmax, the same rows: XGBoost predicts a class; expected are softmax(margins)
       wine-missing       multi:softprob on wine with a fifth of the cells missing (NaN); the rows fed have NaNs
       wine-dart          multi:softprob with the dart booster (trees weighted at prediction)
       wine-forest        boosted random forests: 3 trees per class and round (num_parallel_tree)
       pima-binary-named  binary:logistic on a pandas DataFrame: the file records feature_names and feature_types
       vehicle-classifier scikit-learn's XGBClassifier on vehicle (4 classes as strings, label-encoded)
       pima-early-stopped an XGBClassifier stopped early: predict_proba's probabilities (up to best_iteration), and
                          Booster.predict's (every tree) in *.all-rounds.expected.csv
     and models moe must refuse: gblinear, reg:squarederror, a categorical split, a model in the old binary format
     (.model); the same model as UBJSON (.ubj), which moe reads (a test checks it against xgboost4j);
  2. the example's model, examples/xgboost/vehicle-xgboost.json: an XGBClassifier trained on the rows of
     examples/data/vehicle.csv whose index is a multiple of 3; examples/xgboost/vehicle-rest.csv holds the other rows
     (the example trains and tests moe's experts on them, so no test row was seen by XGBoost).
"""
import csv
import json
import os

import numpy as np
import pandas as pd
import xgboost as xgb
from xgboost import XGBClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "moe-experts", "moe-expert-xgboost", "src", "test", "resources", "xgboost")
EXAMPLE = os.path.join(ROOT, "examples", "xgboost")
DATA = os.path.join(ROOT, "examples", "data")
ROWS = 40  # rows of expected probabilities per model


def load(name):
    frame = pd.read_csv(os.path.join(DATA, name + ".csv"))
    labels = sorted(frame["label"].unique())
    y = frame["label"].map({label: i for i, label in enumerate(labels)}).to_numpy()
    return frame.drop(columns=["label"]), y, labels


def write_expected(path, x, p, names):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(names) + [f"p{c}" for c in range(p.shape[1])])
        for row, probs in zip(x, p):
            w.writerow([f"{float(v):.9g}" for v in row] + [f"{float(v):.9g}" for v in probs])
    print("wrote", os.path.relpath(path, ROOT))


def save(booster, name, x, p, names=None):
    path = os.path.join(FIXTURES, name + ".json")
    booster.save_model(path)
    print("wrote", os.path.relpath(path, ROOT), os.path.getsize(path), "bytes")
    names = names if names is not None else [f"f{j}" for j in range(x.shape[1])]
    write_expected(os.path.join(FIXTURES, name + ".expected.csv"), x, p, names)


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    rng = np.random.RandomState(7)

    wine, wine_y, _ = load("wine")
    x = wine.to_numpy(dtype=np.float32)
    rows = x[rng.choice(len(x), ROWS, replace=False)]
    params = {"num_class": 3, "max_depth": 3, "eta": 0.3, "seed": 1}

    softprob = xgb.train({**params, "objective": "multi:softprob"}, xgb.DMatrix(x, wine_y), 12)
    save(softprob, "wine-softprob", rows, softprob.predict(xgb.DMatrix(rows)))

    # XGBoost 3.x's spelling of the same model (this machine has 1.7.4; the differences are from doc/model.schema and
    # the release notes): base_score a list in a string ("[5E-1]"; 3.1 writes one value per class), the version, and
    # the iteration_indptr that 2.x added. Same trees, so the same expected probabilities.
    with open(os.path.join(FIXTURES, "wine-softprob.json")) as f:
        model = json.load(f)
    model["learner"]["learner_model_param"]["base_score"] = "[5E-1]"
    model["version"] = [3, 0, 0]
    model["learner"]["gradient_booster"]["model"]["iteration_indptr"] = list(range(0, 3 * 12 + 1, 3))
    with open(os.path.join(FIXTURES, "wine-softprob-3x.json"), "w") as f:
        json.dump(model, f)

    softmax_model = xgb.train({**params, "objective": "multi:softmax"}, xgb.DMatrix(x, wine_y), 12)
    margins = softmax_model.predict(xgb.DMatrix(rows), output_margin=True)
    assert (softmax_model.predict(xgb.DMatrix(rows)) == margins.argmax(axis=1)).all()
    save(softmax_model, "wine-softmax", rows, softmax(margins.astype(np.float64)))

    holed = x.copy()
    holed[rng.rand(*holed.shape) < 0.2] = np.nan
    missing = xgb.train({**params, "objective": "multi:softprob"}, xgb.DMatrix(holed, wine_y), 12)
    holed_rows = holed[rng.choice(len(holed), ROWS, replace=False)]
    holed_rows[0, :] = np.nan  # a row with nothing known: every split takes its default
    save(missing, "wine-missing", holed_rows, missing.predict(xgb.DMatrix(holed_rows)))

    dart = xgb.train({**params, "objective": "multi:softprob", "booster": "dart", "rate_drop": 0.3,
                      "one_drop": 1}, xgb.DMatrix(x, wine_y), 12)
    save(dart, "wine-dart", rows, dart.predict(xgb.DMatrix(rows)))

    forest = xgb.train({**params, "objective": "multi:softprob", "num_parallel_tree": 3, "subsample": 0.7,
                        "colsample_bynode": 0.7}, xgb.DMatrix(x, wine_y), 4)
    save(forest, "wine-forest", rows, forest.predict(xgb.DMatrix(rows)))

    pima, pima_y, _ = load("pima")
    pima_rows = pima.sample(ROWS, random_state=3)
    binary = xgb.train({"objective": "binary:logistic", "max_depth": 3, "eta": 0.3, "seed": 1},
                       xgb.DMatrix(pima, pima_y), 15)
    assert binary.feature_names == list(pima.columns)
    p1 = binary.predict(xgb.DMatrix(pima_rows))
    save(binary, "pima-binary-named", pima_rows.to_numpy(dtype=np.float32), np.column_stack([1 - p1, p1]),
         list(pima.columns))

    vehicle, vehicle_y, _ = load("vehicle")
    clf = XGBClassifier(n_estimators=10, max_depth=3, random_state=1).fit(vehicle, vehicle_y)
    vehicle_rows = vehicle.sample(ROWS, random_state=4)
    path = os.path.join(FIXTURES, "vehicle-classifier.json")
    clf.save_model(path)
    write_expected(os.path.join(FIXTURES, "vehicle-classifier.expected.csv"), vehicle_rows.to_numpy(dtype=np.float32),
                   clf.predict_proba(vehicle_rows), list(vehicle.columns))

    # Early stopping: the file records best_iteration, which predict_proba (and R's predict) stop at and
    # Booster.predict does not: moe follows the first by default (params.rounds: best), the second with rounds: all.
    early = XGBClassifier(n_estimators=200, early_stopping_rounds=3, max_depth=3, learning_rate=0.5, random_state=1)
    early.fit(pima[:500], pima_y[:500], eval_set=[(pima[500:], pima_y[500:])], verbose=False)
    assert early.best_iteration + 1 < early.get_booster().num_boosted_rounds()
    path = os.path.join(FIXTURES, "pima-early-stopped.json")
    early.save_model(path)
    rows = pima_rows.to_numpy(dtype=np.float32)
    write_expected(os.path.join(FIXTURES, "pima-early-stopped.expected.csv"), rows, early.predict_proba(pima_rows),
                   list(pima.columns))
    every = early.get_booster().predict(xgb.DMatrix(pima_rows))
    write_expected(os.path.join(FIXTURES, "pima-early-stopped.all-rounds.expected.csv"), rows,
                   np.column_stack([1 - every, every]), list(pima.columns))

    # Models moe refuses; no expected rows.
    xgb.train({"booster": "gblinear", "objective": "multi:softprob", "num_class": 3}, xgb.DMatrix(x, wine_y), 3) \
        .save_model(os.path.join(FIXTURES, "wine-gblinear.json"))
    xgb.train({"objective": "reg:squarederror", "max_depth": 2}, xgb.DMatrix(x, wine_y.astype(float)), 3) \
        .save_model(os.path.join(FIXTURES, "wine-regression.json"))
    categorical = pd.DataFrame({"colour": pd.Categorical(np.where(wine["hue"] > 0.9, "pale", "dark"))})
    xgb.train({"objective": "multi:softprob", "num_class": 3, "max_depth": 2, "tree_method": "hist",
               "max_cat_to_onehot": 1},
              xgb.DMatrix(categorical, wine_y, enable_categorical=True), 3) \
        .save_model(os.path.join(FIXTURES, "wine-categorical.json"))
    small = xgb.train({**params, "objective": "multi:softprob"}, xgb.DMatrix(x, wine_y), 2)
    small.save_model(os.path.join(FIXTURES, "wine-small.ubj"))
    small.save_model(os.path.join(FIXTURES, "wine-small.model"))

    # The example: XGBoost sees the rows whose index is a multiple of 3, moe the others.
    frame = pd.read_csv(os.path.join(DATA, "vehicle.csv"))
    seen = frame.index % 3 == 0
    labels = sorted(frame["label"].unique())
    train = frame[seen]
    model = XGBClassifier(n_estimators=50, max_depth=3, learning_rate=0.1, random_state=1)
    model.fit(train.drop(columns=["label"]), train["label"].map({label: i for i, label in enumerate(labels)}))
    model.save_model(os.path.join(EXAMPLE, "vehicle-xgboost.json"))
    frame[~seen].to_csv(os.path.join(EXAMPLE, "vehicle-rest.csv"), index=False)
    print("example: labels in XGBoost's order", labels, "; rows for moe", int((~seen).sum()))


if __name__ == "__main__":
    main()
