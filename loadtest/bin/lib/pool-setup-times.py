"""Pools the call set-up times of several MwiBurstBench runs (their setup-times.csv: window;setup_us) and prints
p50/p99 before the kill and in the burst, and the ratio of the p99s.
usage: pool-setup-times.py LABEL FILE..."""
import sys

label, files = sys.argv[1], sys.argv[2:]
windows = {"before": [], "burst": [], "after": []}
for name in files:
    with open(name) as f:
        next(f)
        for line in f:
            window, setup_us = line.strip().split(";")
            windows[window].append(int(setup_us))


def percentile_ms(values, p):
    """The nearest-rank percentile, in ms."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1] / 1000


before, burst = windows["before"], windows["burst"]
print(f"pooled {label} over {len(files)} runs: before {len(before)} calls p50 {percentile_ms(before, 50):.3f}"
      f" p99 {percentile_ms(before, 99):.3f} ms; burst {len(burst)} calls p50 {percentile_ms(burst, 50):.3f}"
      f" p99 {percentile_ms(burst, 99):.3f} ms; p99 ratio {percentile_ms(burst, 99) / percentile_ms(before, 99):.2f}")
