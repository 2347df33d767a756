#!/usr/bin/python3
"""NumPy's 2048 x 2048 float32 product on this machine, in GFLOP/s (best of five): the peak reference."""
import time

import numpy as np

n = 2048
a = np.random.rand(n, n).astype(np.float32)
b = np.random.rand(n, n).astype(np.float32)
a @ b
best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    a @ b
    best = min(best, time.perf_counter() - start)
print(f"numpy sgemm {n}x{n}: {2 * n ** 3 / best / 1e9:.1f} GFLOP/s (numpy {np.__version__})")
