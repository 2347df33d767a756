#!/usr/bin/python3
"""PyTorch reference of the seed experiment, for timing against moe on the same machine.

The article's modules and protocol: 5000 rows, 4 standard normal features, 3 equal classes
(class 0: feature0 + 1, class 1: feature1 - 1, class 2: feature0 - 1); the first half trains three
MLP experts (4 -> 32 ReLU -> 3) on one class pair each, cut to equal size; of the rest 80% trains the
gate and 20% is the test set. Adam, 500 full-batch epochs, lr 0.001. Experts frozen after their own
training; the gate (128-256-128, dropout 0.1, ReLU then LeakyReLU, or linear with --linear-gate) is
trained on the mixture's negative log-likelihood, as moe does. With --fine-tune the experts are not frozen: their
parameters join the gate's in the optimiser (the article's joint training; moe's fine-tune-experts: true), each
expert recomputed every step.

Prints one JSON line: seconds to train (experts + gate), inference rows/s on --infer-rows rows (the first pass
after a warm-up batch, and warm: the fastest of ten more passes), accuracy.
Run with Debian's python3-torch: /usr/bin/python3 bench/seed_pytorch.py --threads 2
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_data(rows, gen):
    labels = torch.arange(rows) % 3
    labels = labels[torch.randperm(rows, generator=gen)]
    x = torch.randn(rows, 4, generator=gen)
    x[labels == 0, 0] += 1
    x[labels == 1, 1] -= 1
    x[labels == 2, 0] -= 1
    return x, labels


class Expert(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.layer1 = nn.Linear(4, hidden)
        self.layer2 = nn.Linear(hidden, 3)

    def forward(self, x):
        return self.layer2(F.relu(self.layer1(x)))  # logits; softmax applied by the caller


class Gate(nn.Module):
    def __init__(self, experts, linear):
        super().__init__()
        self.linear = linear
        if linear:
            self.out = nn.Linear(4, experts)
        else:
            self.layer1 = nn.Linear(4, 128)
            self.dropout = nn.Dropout(0.1)
            self.layer2 = nn.Linear(128, 256)
            self.layer3 = nn.Linear(256, 128)
            self.out = nn.Linear(128, experts)

    def forward(self, x):
        if not self.linear:
            x = self.dropout(F.relu(self.layer1(x)))
            x = F.leaky_relu(self.layer2(x))
            x = F.leaky_relu(self.layer3(x))
        return torch.softmax(self.out(x), dim=1)


def train_expert(x, y, epochs, lr):
    model = Expert()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    model.eval()
    return model


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epochs", type=int, default=500)
    p.add_argument("--gate-epochs", type=int, default=500)
    p.add_argument("--gate-lr", type=float, default=0.001)
    p.add_argument("--linear-gate", action="store_true")
    p.add_argument("--fine-tune", action="store_true", help="train the experts jointly with the gate (same lr)")
    p.add_argument("--infer-rows", type=int, default=200_000)
    p.add_argument("--split-dir", help="train and test on the rows moe used (written by moe-bench's SeedSplits):"
                   " expert1..3.csv, gate.csv, test.csv; prints the accuracy only")
    p.add_argument("--seeds", type=int, default=1,
                   help="also train with seeds seed+1.. and report the accuracy's mean and std over all")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.split_dir:
        print(json.dumps({"engine": "pytorch " + torch.__version__, "split_dir": a.split_dir,
                          "accuracy": round(run_on_split(a), 4)}))
        return
    result = run(a, a.seed, timed=True)
    if a.seeds > 1:
        accuracies = [result["accuracy"]] + [run(a, a.seed + i, timed=False)["accuracy"] for i in range(1, a.seeds)]
        mean = sum(accuracies) / len(accuracies)
        std = (sum((v - mean) ** 2 for v in accuracies) / (len(accuracies) - 1)) ** 0.5
        result.update({"seeds": a.seeds, "accuracy_mean": round(mean, 4), "accuracy_std": round(std, 4)})
    print(json.dumps(result))


def read_csv(path):
    with open(path) as f:
        next(f)
        rows = [line.rstrip("\n").split(",") for line in f]
    x = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
    y = torch.tensor([int(r[-1]) for r in rows])
    return x, y


def train_gate(experts, xg, yg, a):
    """The gate on the mixture's negative log-likelihood, the experts frozen (their outputs computed once)."""
    if a.fine_tune:
        return train_jointly(experts, xg, yg, a)
    with torch.no_grad():
        probs = torch.stack([torch.softmax(e(xg), dim=1) for e in experts], dim=1)  # n x E x C
        p_true = probs[torch.arange(len(yg)), :, yg]  # n x E
    gate = Gate(len(experts), a.linear_gate)
    opt = torch.optim.Adam(gate.parameters(), lr=a.gate_lr)
    for _ in range(a.gate_epochs):
        opt.zero_grad()
        w = gate(xg)
        loss = -torch.log((w * p_true).sum(dim=1).clamp_min(1e-7)).mean()
        loss.backward()
        opt.step()
    gate.eval()
    return gate


def train_jointly(experts, xg, yg, a):
    """The article's joint training: the experts' parameters in the optimiser beside the gate's, every step."""
    gate = Gate(len(experts), a.linear_gate)
    params = list(gate.parameters()) + [p for e in experts for p in e.parameters()]
    opt = torch.optim.Adam(params, lr=a.gate_lr)
    for e in experts:
        e.train()
    rows = torch.arange(len(yg))
    for _ in range(a.gate_epochs):
        opt.zero_grad()
        w = gate(xg)
        p_true = torch.stack([torch.softmax(e(xg), dim=1)[rows, yg] for e in experts], dim=1)  # n x E
        loss = -torch.log((w * p_true).sum(dim=1).clamp_min(1e-7)).mean()
        loss.backward()
        opt.step()
    gate.eval()
    for e in experts:
        e.eval()
    return gate


def infer_pass(gate, experts, big, rows):
    """Seconds to score the rows in batches of 8192."""
    start = time.perf_counter()
    for i in range(0, rows, 8192):
        mixture(gate, experts, big[i:i + 8192])
    return time.perf_counter() - start


def mixture(gate, experts, rows):
    w = gate(rows)
    return sum(w[:, k:k + 1] * torch.softmax(e(rows), dim=1) for k, e in enumerate(experts))


def run_on_split(a):
    """The same models and training as run(), on the rows moe used for one seed."""
    torch.manual_seed(a.seed)
    experts = []
    for k in (1, 2, 3):
        xk, yk = read_csv(f"{a.split_dir}/expert{k}.csv")
        experts.append(train_expert(xk, yk, a.epochs, 0.001))
    xg, yg = read_csv(f"{a.split_dir}/gate.csv")
    xt, yt = read_csv(f"{a.split_dir}/test.csv")
    gate = train_gate(experts, xg, yg, a)
    with torch.no_grad():
        return (mixture(gate, experts, xt).argmax(dim=1) == yt).float().mean().item()


def run(a, seed, timed):
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)

    x, y = make_data(5000, gen)
    half = 2500
    xe, ye = x[:half], y[:half]
    rest_x, rest_y = x[half:], y[half:]
    gate_n = int(0.8 * len(rest_x))
    xg, yg = rest_x[:gate_n], rest_y[:gate_n]
    xt, yt = rest_x[gate_n:], rest_y[gate_n:]

    start = time.perf_counter()
    pairs = [(0, 1), (1, 2), (0, 2)]
    subsets = [((ye == a_) | (ye == b_)).nonzero().squeeze(1) for a_, b_ in pairs]
    size = min(len(s) for s in subsets)
    experts = [train_expert(xe[s[:size]], ye[s[:size]], a.epochs, 0.001) for s in subsets]
    gate = train_gate(experts, xg, yg, a)
    train_seconds = time.perf_counter() - start

    with torch.no_grad():
        accuracy = (mixture(gate, experts, xt).argmax(dim=1) == yt).float().mean().item()
        if not timed:
            return {"accuracy": round(accuracy, 4)}
        big, _ = make_data(a.infer_rows, gen)
        mixture(gate, experts, big[:1000])  # warm-up
        infer_seconds = infer_pass(gate, experts, big, a.infer_rows)
        # Warm: the fastest of ten more passes over the same rows, as SeedBenchmark times moe's once its JIT has
        # compiled the inference path (the first pass above is mostly compilation there).
        warm_seconds = min(infer_pass(gate, experts, big, a.infer_rows) for _ in range(10))

    return {"engine": "pytorch " + torch.__version__, "threads": a.threads,
            "gate": "linear" if a.linear_gate else "128-256-128", "fine_tune": a.fine_tune,
            "train_seconds": round(train_seconds, 3),
            "infer_rows_per_second": round(a.infer_rows / infer_seconds),
            "infer_warm_rows_per_second": round(a.infer_rows / warm_seconds),
            "accuracy": round(accuracy, 4)}


if __name__ == "__main__":
    main()
