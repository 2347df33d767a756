"""Writes the benchmark's configs again with two or three of their five experts (the line-ups a user with fewer
models has), to check the defaults beyond the five-expert scenario. Nothing else changes: data, split, seeds,
each expert's settings; the gate and routing stay at their defaults.

usage: python3 bench/lineups.py OUT_FOLDER CONFIG.yaml ...
Writes OUT_FOLDER/NAME-LINEUP.yaml for every config and line-up (data paths made absolute); bench/lineups.sh runs them.
"""
import os
import re
import sys

# Fixed before any line-up was run: two linear/instance pairs, a tree with the MLP, and the library example's trio.
LINEUPS = {
    "lk": ["logistic", "knn"],
    "cm": ["cart", "mlp"],
    "lx": ["logistic", "xgboost"],
    "lck": ["logistic", "cart", "knn"],
}


def expert_blocks(lines):
    """The config's lines before `experts:`, each expert's block (by id), and the lines after the list."""
    start = lines.index("experts:\n")
    head, blocks, tail = lines[: start + 1], [], []
    for line in lines[start + 1:]:
        if tail or not (line.startswith(" ") or line.strip() == ""):
            tail.append(line)
        elif line.lstrip().startswith("- id:"):
            blocks.append([line])
        else:
            blocks[-1].append(line)
    ids = [re.match(r"\s*- id:\s*(\S+)", b[0]).group(1) for b in blocks]
    return head, dict(zip(ids, blocks)), tail


def main():
    out, configs = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    for config in configs:
        name = os.path.splitext(os.path.basename(config))[0]
        lines = open(config).readlines()
        # The data path is relative to the config's folder; the line-up lives elsewhere.
        lines = [re.sub(r"^(\s+path:\s*)(\S+)", lambda m: m.group(1) + os.path.abspath(
            os.path.join(os.path.dirname(config), m.group(2))), l) for l in lines]
        head, blocks, tail = expert_blocks(lines)
        for lineup, ids in LINEUPS.items():
            missing = [i for i in ids if i not in blocks]
            if missing:
                sys.exit(f"lineups: {config} has no expert {', '.join(missing)} (it has {', '.join(blocks)})")
            with open(os.path.join(out, f"{name}-{lineup}.yaml"), "w") as f:
                f.write(f"# {config} with {len(ids)} of its experts ({', '.join(ids)}): written by bench/lineups.py\n")
                f.writelines(head + [l for i in ids for l in blocks[i]] + tail)


if __name__ == "__main__":
    main()
