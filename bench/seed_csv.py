#!/usr/bin/python3
"""Writes N rows of the seed experiment's distribution as a labelled CSV (feature0..feature3,label), for
timing and memory checks of `moe evaluate -m` and `moe predict` on large files. Plain Python, no NumPy.

Usage: /usr/bin/python3 bench/seed_csv.py ROWS OUT.csv [SEED]
"""
import random
import sys


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    gauss = rng.gauss
    with open(out, "w") as f:
        f.write("feature0,feature1,feature2,feature3,label\n")
        lines = []
        for i in range(rows):
            label = i % 3
            x = [gauss(0, 1) for _ in range(4)]
            if label == 0:
                x[0] += 1
            elif label == 1:
                x[1] -= 1
            else:
                x[0] -= 1
            lines.append(f"{x[0]:.5f},{x[1]:.5f},{x[2]:.5f},{x[3]:.5f},{label}\n")
            if len(lines) == 100_000:
                f.writelines(lines)
                lines.clear()
        f.writelines(lines)


if __name__ == "__main__":
    main()
