"""Prints the public benchmark's table (markdown) from the JSON reports that bench/benchmark.sh wrote.

usage: python3 bench/benchmark_table.py REPORTS_FOLDER [NAME ...]
"""
import json
import os
import re
import sys

BASELINES = {"uniform", "stacking", "tribuo-ensemble", "moe"}
# The configs bench/lineups.py writes end with their line-up's name.
LINEUP = re.compile(r"-(lk|cm|lx|lck)$")


def figure(results, name):
    r = results.get(name)
    return "–" if r is None else f"{r['accuracy']:.3f}"


def difference(comparisons, name):
    c = comparisons.get(name)
    return "–" if c is None else f"{c['accuracyDifference']:+.3f} ± {c['accuracyStandardError']:.3f}"


def main():
    folder = sys.argv[1]
    names = sys.argv[2:] or sorted(f[:-5] for f in os.listdir(folder) if f.endswith(".json"))
    print("| config | best expert | uniform | stacking | tribuo-ensemble | moe | moe − best expert | moe − uniform "
          "| combiner chosen | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    groups = {}
    for name in names:
        report = json.load(open(os.path.join(folder, name + ".json")))
        results = {r["model"]: r for r in report["results"]}
        comparisons = {c["model"]: c for c in report["comparisons"]}
        experts = [m for m in results if m not in BASELINES and c_kind(comparisons, m) == "expert"]
        best = max(experts, key=lambda m: results[m]["accuracy"])
        chosen = {}
        for c in report["gate"]["chosen"]:
            chosen[c] = chosen.get(c, 0) + 1
        seconds_file = os.path.join(folder, name + ".seconds")
        seconds = open(seconds_file).read().strip() if os.path.exists(seconds_file) else "?"
        print(f"| {name} | {best} {results[best]['accuracy']:.3f} | {figure(results, 'uniform')} "
              f"| {figure(results, 'stacking')} | {figure(results, 'tribuo-ensemble')} | **{results['moe']['accuracy']:.3f}** "
              f"| {difference(comparisons, best)} | {difference(comparisons, 'uniform')} "
              f"| {', '.join(f'{k} {v}' for k, v in chosen.items())} | {seconds} |")
        lineup = LINEUP.search(name)
        group = ("held-out" if name.startswith("held-out/")
                 else "specialists" if name.endswith("-specialists")
                 else f"line-up {lineup.group(1)}" if lineup else "five experts")
        totals = groups.setdefault(group, {"best": [], "uniform": [], "moe": [], "stacking": [], "tribuo-ensemble": []})
        for key, model in (("best", best), ("uniform", "uniform"), ("stacking", "stacking"), ("moe", "moe"),
                           ("tribuo-ensemble", "tribuo-ensemble")):
            if model in results:
                totals[key].append(results[model]["accuracy"])
    for group, totals in groups.items():
        n = len(totals["moe"])
        mean = {k: (sum(v) / len(v) if len(v) == n else None) for k, v in totals.items()}
        te = "" if mean["tribuo-ensemble"] is None else f"{mean['tribuo-ensemble']:.3f}"
        print(f"| mean, {group} ({n}) | {mean['best']:.3f} | {mean['uniform']:.3f} | {mean['stacking']:.3f} | {te} | "
              f"**{mean['moe']:.3f}** | {mean['moe'] - mean['best']:+.3f} | {mean['moe'] - mean['uniform']:+.3f} | | |")


def c_kind(comparisons, model):
    c = comparisons.get(model)
    return None if c is None else c["kind"]


if __name__ == "__main__":
    main()
