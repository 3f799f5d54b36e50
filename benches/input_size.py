#!/usr/bin/env python3
"""Input size benchmark: `oktaform validate` on one file of N small log_query blocks (one
connection, one scopes block, then N queries of three lines each), for N at 1x, 2x, 4x and
8x of BASE. Memory must stay within 10 times the file's size and time must grow linearly
(time per MB about the same at every size).

usage: input_size.py BINARY [BASE=25000] [RUNS=3]
"""
import os
import statistics
import subprocess
import sys
import tempfile

binary = sys.argv[1]
base = int(sys.argv[2]) if len(sys.argv) > 2 else 25000
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
work = tempfile.mkdtemp()
HEAD = ('connection "c" {\n  domain = "acme.okta.com"\n  client_id = "0oa1"\n  service_account = "svc@acme.com"\n}\n\n'
        'scopes "s" {\n  connection = connection.c\n  grant = ["okta.logs.read"]\n}\n\n')


def measure(path):
    """Median wall seconds and the largest peak RSS (KiB) of `runs` runs."""
    samples = []
    for _ in range(runs):
        out = subprocess.run(["/usr/bin/time", "-f", "%e %M", binary, "validate", path, "--format", "json"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr.split("\n")
        seconds, kib = out[-2].split()
        samples.append((float(seconds), int(kib)))
    return statistics.median(s for s, _ in samples), max(k for _, k in samples)


print(f"{'blocks':>8} {'file MB':>8} {'time s':>7} {'s per MB':>9} {'peak MiB':>9} {'peak / file (target <= 10)':>27}")
for factor in (1, 2, 4, 8):
    n = base * factor
    path = os.path.join(work, f"{n}.hcl")
    with open(path, "w") as f:
        f.write(HEAD)
        for i in range(n):
            f.write(f'log_query "q{i}" {{\n  connection = connection.c\n  keyword = "k{i}"\n}}\n\n')
    size = os.path.getsize(path)
    seconds, kib = measure(path)
    print(f"{n + 2:>8} {size / 1e6:>8.2f} {seconds:>7.2f} {seconds / (size / 1e6):>9.3f} {kib / 1024:>9.1f} "
          f"{kib * 1024 / size:>27.1f}")
    os.remove(path)
