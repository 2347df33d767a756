#!/usr/bin/python3
"""How the ONNX models of this repository were made (PyTorch and the onnx package; no network, no moe needed but for
the seed rows). The files it writes are committed: moe's tests and examples read those, never this script.

  apt-get install -y python3-torch python3-onnx      # Debian 12: torch 1.13, onnx 1.12
  ./moe --version                                    # builds moe once (SeedRows.java runs on its jars)
  /usr/bin/python3 examples/onnx/make_models.py      # from the repository root

It writes
  1. test fixtures, moe-experts/moe-expert-onnx/src/test/resources/onnx/: small MLPs exported by torch.onnx.export
     (logits, softmax, a fixed batch of 4, no batch dimension, double precision, two outputs) with the probabilities
     PyTorch gives on 20 rows (*.expected.csv), and models built with onnx.helper that moe must refuse or read
     (an int64 input, two inputs of fixed and of free width, an opset ONNX Runtime does not know, a custom operator, scikit-learn's ZipMap);
  2. the seed example's experts, examples/onnx/seed/expert{1,2,3}.onnx: the article's three 2-layer MLP experts,
     each trained on a class pair of moe's own synthetic-seed rows (data seed 1000, 2500 rows: rows that none of the
     evaluation's seeds 42..51 draws), exported with their logits.
"""
import csv
import os
import subprocess
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "moe-experts", "moe-expert-onnx", "src", "test", "resources", "onnx")
SEED_OUT = os.path.join(ROOT, "examples", "onnx", "seed")
OPSET = 13


class Mlp(torch.nn.Module):
    """features -> hidden (ReLU) -> classes; logits, or probabilities with softmax=True."""

    def __init__(self, features, hidden, classes, softmax=False, both=False):
        super().__init__()
        self.hidden = torch.nn.Linear(features, hidden)
        self.out = torch.nn.Linear(hidden, classes)
        self.softmax = softmax
        self.both = both

    def forward(self, x):
        z = self.out(torch.relu(self.hidden(x)))
        if self.both:
            return z, torch.softmax(z, dim=-1)
        return torch.softmax(z, dim=-1) if self.softmax else z


def train(model, x, y, epochs, lr=0.01):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(epochs):
        optimizer.zero_grad()
        out = model(x)
        logits = out[0] if isinstance(out, tuple) else out
        if model.softmax:
            loss = torch.nn.functional.nll_loss(torch.log(logits + 1e-12), y)
        else:
            loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()
    return model


def export(model, example, path, inputs=("features",), outputs=("scores",), dynamic=True):
    axes = {name: {0: "N"} for name in list(inputs) + list(outputs)} if dynamic else None
    torch.onnx.export(model, example, path, input_names=list(inputs), output_names=list(outputs),
                      dynamic_axes=axes, opset_version=OPSET)
    print("wrote", os.path.relpath(path, ROOT), os.path.getsize(path), "bytes")


def write_expected(path, x, p):
    """The rows fed and the probabilities PyTorch (or numpy) gave, 9 significant digits: a float32 exactly."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([f"x{j}" for j in range(x.shape[1])] + [f"p{c}" for c in range(p.shape[1])])
        for row, probs in zip(x, p):
            w.writerow([f"{float(v):.9g}" for v in row] + [f"{float(v):.9g}" for v in probs])
    print("wrote", os.path.relpath(path, ROOT))


def blobs(rows, seed):
    """Three Gaussian classes in 4 dimensions, for the fixtures."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, rows)
    centres = np.array([[1, 0, 0, 0], [0, -1, 0, 0], [-1, 0, 0.5, 0]], dtype=np.float32)
    x = rng.standard_normal((rows, 4)).astype(np.float32) + centres[y]
    return x, y


def save(model, path):
    onnx.save(model, path)
    print("wrote", os.path.relpath(path, ROOT), os.path.getsize(path), "bytes")


def map_type():
    """map(string, float): ZipMap's row type (onnx 1.12's helper has no make_map_type_proto)."""
    t = onnx.TypeProto()
    t.map_type.key_type = TensorProto.STRING
    t.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, []))
    return t


def fixtures():
    os.makedirs(FIXTURES, exist_ok=True)
    torch.manual_seed(7)
    x, y = blobs(600, 7)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    rows = torch.from_numpy(blobs(20, 8)[0])

    logits = train(Mlp(4, 16, 3), xt, yt, 300).eval()
    export(logits, rows[:2], os.path.join(FIXTURES, "mlp-logits.onnx"))
    with torch.no_grad():
        write_expected(os.path.join(FIXTURES, "mlp-logits.expected.csv"), rows.numpy(),
                       torch.softmax(logits(rows), dim=-1).numpy())

    soft = train(Mlp(4, 16, 3, softmax=True), xt, yt, 300).eval()
    export(soft, rows[:2], os.path.join(FIXTURES, "mlp-softmax.onnx"), outputs=("probabilities",))
    export(soft, rows[:4], os.path.join(FIXTURES, "mlp-softmax-batch4.onnx"), outputs=("probabilities",), dynamic=False)
    export(soft, rows[0], os.path.join(FIXTURES, "mlp-softmax-nobatch.onnx"), outputs=("probabilities",), dynamic=False)
    with torch.no_grad():
        write_expected(os.path.join(FIXTURES, "mlp-softmax.expected.csv"), rows.numpy(), soft(rows).numpy())

    double = Mlp(4, 16, 3, softmax=True).double()
    double.load_state_dict({k: v.double() for k, v in soft.state_dict().items()})
    export(double.eval(), rows[:2].double(), os.path.join(FIXTURES, "mlp-softmax-double.onnx"), outputs=("probabilities",))

    both = Mlp(4, 16, 3, both=True)
    both.load_state_dict(logits.state_dict())
    export(both.eval(), rows[:2], os.path.join(FIXTURES, "mlp-two-outputs.onnx"), outputs=("logits", "probabilities"))

    # Hand-built graphs: what moe must refuse, and scikit-learn's shape of output.
    w = numpy_helper.from_array(np.array([[1, -1, 0], [0, 1, -1], [0.5, 0, 0.5], [0, 0, 0]], dtype=np.float32), "w")

    def graph(nodes, inputs, outputs, inits, opsets, name):
        return helper.make_model(helper.make_graph(nodes, name, inputs, outputs, inits), opset_imports=opsets,
                                 producer_name="moe make_models.py")

    x_float = helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 4])
    probs = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 3])
    ai13 = [helper.make_opsetid("", 13)]

    save(graph([helper.make_node("Cast", ["features"], ["f"], to=TensorProto.FLOAT),
                helper.make_node("MatMul", ["f", "w"], ["z"]), helper.make_node("Softmax", ["z"], ["probabilities"])],
               [helper.make_tensor_value_info("features", TensorProto.INT64, ["N", 4])], [probs], [w], ai13, "int64"),
         os.path.join(FIXTURES, "int64-input.onnx"))
    save(graph([helper.make_node("Concat", ["a", "b"], ["f"], axis=1),
                helper.make_node("MatMul", ["f", "w"], ["z"]), helper.make_node("Softmax", ["z"], ["probabilities"])],
               [helper.make_tensor_value_info("a", TensorProto.FLOAT, ["N", 2]),
                helper.make_tensor_value_info("b", TensorProto.FLOAT, ["N", 2])], [probs], [w], ai13, "two_inputs"),
         os.path.join(FIXTURES, "two-inputs.onnx"))
    save(graph([helper.make_node("Concat", ["a", "b"], ["f"], axis=1),
                helper.make_node("MatMul", ["f", "w"], ["z"]), helper.make_node("Softmax", ["z"], ["probabilities"])],
               [helper.make_tensor_value_info("a", TensorProto.FLOAT, ["N", 2]),
                helper.make_tensor_value_info("b", TensorProto.FLOAT, ["N", "F"])], [probs], [w], ai13, "two_inputs"),
         os.path.join(FIXTURES, "two-inputs-free-width.onnx"))
    save(graph([helper.make_node("MatMul", ["features", "w"], ["z"]), helper.make_node("Softmax", ["z"], ["probabilities"])],
               [x_float], [probs], [w], [helper.make_opsetid("", 99)], "opset99"),
         os.path.join(FIXTURES, "opset-99.onnx"))
    save(graph([helper.make_node("MatMul", ["features", "w"], ["z"]),
                helper.make_node("Frobnicate", ["z"], ["probabilities"], domain="com.example")],
               [x_float], [probs], [w], ai13 + [helper.make_opsetid("com.example", 1)], "custom_op"),
         os.path.join(FIXTURES, "custom-op.onnx"))

    # skl2onnx's classifier outputs: the label (int64 [N]) and the probabilities as a ZipMap (a sequence of maps).
    zipmap = graph([helper.make_node("MatMul", ["features", "w"], ["z"]), helper.make_node("Softmax", ["z"], ["p"]),
                    helper.make_node("ArgMax", ["p"], ["output_label"], axis=1, keepdims=0),
                    helper.make_node("ZipMap", ["p"], ["output_probability"], domain="ai.onnx.ml",
                                     classlabels_strings=["cat", "dog", "owl"])],
                   [x_float], [helper.make_tensor_value_info("output_label", TensorProto.INT64, ["N"]),
                               helper.make_value_info("output_probability", helper.make_sequence_type_proto(map_type()))],
                   [w], ai13 + [helper.make_opsetid("ai.onnx.ml", 1)], "zipmap")
    save(zipmap, os.path.join(FIXTURES, "zipmap.onnx"))
    z = rows.numpy() @ numpy_helper.to_array(w)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    write_expected(os.path.join(FIXTURES, "zipmap.expected.csv"), rows.numpy(), (e / e.sum(axis=1, keepdims=True)))


def seed_experts():
    """The article's experts: 4 -> 32 (ReLU) -> classes, Adam at 0.001, 500 full-batch epochs, on moe's own rows."""
    os.makedirs(SEED_OUT, exist_ok=True)
    jars = os.path.join(ROOT, "moe-cli", "target", "moe-cli.jar") + os.pathsep + os.path.join(ROOT, "moe-cli", "target", "lib", "*")
    text = subprocess.run(["java", "-cp", jars, os.path.join(ROOT, "examples", "onnx", "SeedRows.java"), "2500", "1000"],
                          check=True, capture_output=True, text=True).stdout
    rows = list(csv.reader(text.splitlines()))[1:]
    x = np.array([[float(v) for v in r[:4]] for r in rows], dtype=np.float32)
    y = np.array([int(r[4]) for r in rows])
    for k, pair in enumerate([(0, 1), (1, 2), (0, 2)], start=1):
        # Each expert sees one class pair, cut to the same number of rows per class (moe's balance-experts).
        per_class = min(int((y == c).sum()) for c in pair)
        chosen = np.concatenate([np.flatnonzero(y == c)[:per_class] for c in pair])
        xs = torch.from_numpy(x[chosen])
        ys = torch.from_numpy(np.array([pair.index(c) for c in y[chosen]]))
        torch.manual_seed(k)
        model = train(Mlp(4, 32, 2), xs, ys, 500, lr=0.001).eval()
        with torch.no_grad():
            accuracy = (model(xs).argmax(dim=1) == ys).float().mean().item()
        print(f"expert{k}: classes {pair}, {len(chosen)} rows, training accuracy {accuracy:.3f}")
        export(model, xs[:2], os.path.join(SEED_OUT, f"expert{k}.onnx"), outputs=("logits",))


if __name__ == "__main__":
    if torch.__version__.split(".")[:2] != ["1", "13"]:
        print("note: made with torch 1.13; this is", torch.__version__, file=sys.stderr)
    fixtures()
    seed_experts()
