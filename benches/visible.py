#!/usr/bin/env python3
"""How soon a change made elsewhere shows in an open app ([4/6]; not part
of `cargo test`).

Opens the app in tmux (120x40) on DB, then N times adds an organization
with the command line (through the database's server) and polls the app's
screen every 2 ms until its count of organizations (top right, `n/n`)
changes: prints, per save, the time from the command's exit (the save
acknowledged) to the screen showing it, then p50 / p95 / max.

    python3 benches/visible.py --bin target/release/sanshe --db /tmp/copy [--n 20]

Adds organizations named 可见性测试…: run on a copy.
"""

import argparse
import os
import re
import subprocess
import time


def tmux(sock, *args):
    return subprocess.run(["tmux", "-u", "-L", sock, *args], capture_output=True, text=True,
                          env={**os.environ, "LANG": "C.UTF-8"}).stdout


def count(sock):
    m = re.search(r"(\d+)/(\d+)", tmux(sock, "capture-pane", "-p", "-t", "m").splitlines()[1])
    return m.group(2) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/sanshe")
    ap.add_argument("--db", required=True)
    ap.add_argument("--n", type=int, default=20)
    a = ap.parse_args()
    sock = f"sanshe-visible-{os.getpid()}"
    tmux(sock, "new-session", "-d", "-s", "m", "-x", "120", "-y", "40",
         f"'{a.bin}' --db '{a.db}' --lang zh; sleep 600")
    start = time.monotonic()
    while count(sock) is None and time.monotonic() - start < 60:
        time.sleep(0.05)
    time.sleep(1)
    took = []
    for i in range(a.n):
        before = count(sock)
        subprocess.run([a.bin, "--db", a.db, "org", "add", "--name", f"可见性测试{os.getpid()}-{i}"],
                       check=True, capture_output=True)
        t = time.monotonic()
        while count(sock) == before and time.monotonic() - t < 5:
            time.sleep(0.002)
        took.append((time.monotonic() - t) * 1000)
        time.sleep(0.2)
    tmux(sock, "send-keys", "-t", "m", "q")
    time.sleep(0.5)
    tmux(sock, "kill-server")
    took.sort()
    p = lambda q: took[round((len(took) - 1) * q)]
    print(f"change visible in another app after the save was acknowledged: "
          f"p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, max {took[-1]:.0f} ms over {len(took)}")


if __name__ == "__main__":
    main()
