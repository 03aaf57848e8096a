#!/usr/bin/env python3
"""Resident memory of the app at district scale (not part of `cargo test`).

Opens the app in a tmux session of its own (120x40 by default), waits for
the first screen, then visits panes 1..6 (presses the digit and waits until
the pane shows its content: no "正在..." loading line and the screen
changed), and prints VmRSS and VmHWM from /proc/PID/status after each, with
the time each took. Run it on a database made with

    target/release/sanshe --db /tmp/big demo --scale 100000 --activities 200000 --no-tui

    python3 benches/memory.py --bin target/release/sanshe --db /tmp/big [--runs 3]

The database's server holds the records ([4/6]): its resident memory is
printed too. `--apps N` opens N apps one after another on the same
database (each visits every pane) and prints each app's and the server's
memory once all are open.

The first start after a bulk load writes the caches beside the database
(DB/cache/); run once to warm them, the figures of later runs are the ones
to compare (`--runs`, the first is shown as "warm-up" when --runs > 1).
"""

import argparse
import os
import subprocess
import sys
import time

LOADING = "正在"
POLL = 0.01


def tmux(sock, *args, check=True):
    return subprocess.run(
        ["tmux", "-u", "-L", sock, *args],
        check=check,
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": "C.UTF-8"},
    )


def screen(sock):
    return tmux(sock, "capture-pane", "-p", "-t", "m").stdout


def children(pid):
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def find_app(pid, name):
    """The app's pid: the pane's process or one of its descendants."""
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/comm") as f:
                if f.read().strip() == name:
                    return p
        except OSError:
            pass
        todo += children(p)
    return None


def status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                fields[k] = int(v.split()[0]) // 1024  # MiB
    return fields["VmRSS"], fields["VmHWM"]


def ready(text, before):
    lines = [l for l in text.splitlines() if l.strip()]
    if "SANSHE-EXIT" in text:
        raise SystemExit(f"the app ended:\n{text}")
    return LOADING not in text and len(lines) >= 3 and text != before


def wait_ready(sock, before, timeout):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        text = screen(sock)
        if ready(text, before):
            return time.monotonic() - start, text
        time.sleep(POLL)
    raise SystemExit(f"timeout: the screen did not settle\n{screen(sock)}")


def run_once(args, sock):
    tmux(sock, "kill-server", check=False)
    cmd = f"{args.wrap} '{args.bin}' --db '{args.db}' --lang zh; echo SANSHE-EXIT $?; sleep 600"
    t0 = time.monotonic()
    tmux(sock, "new-session", "-d", "-s", "m", "-x", str(args.cols), "-y", str(args.rows), cmd)
    pane = int(tmux(sock, "list-panes", "-t", "m", "-F", "#{pane_pid}").stdout.split()[0])
    pid = None
    while pid is None and time.monotonic() - t0 < 10:
        pid = find_app(pane, os.path.basename(args.bin)[:15])
        time.sleep(POLL)
    if pid is None:
        raise SystemExit("the app did not start")
    first, text = wait_ready(sock, "", args.timeout)
    first += 0  # from the session's start, as a person sees it
    rows = [("first screen", first, *status(pid))]
    time.sleep(args.settle)
    rows.append((f"pane 1, {args.settle:g} s later (search index built)", None, *status(pid)))
    for digit in "123456":
        before = screen(sock)
        tmux(sock, "send-keys", "-t", "m", digit)
        took, text = wait_ready(sock, before if digit != "1" else "", args.timeout)
        time.sleep(args.settle)
        rows.append((f"pane {digit}", took, *status(pid)))
    tmux(sock, "send-keys", "-t", "m", "q")
    end = time.monotonic() + 10
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < end:
        time.sleep(0.05)
    tmux(sock, "kill-server", check=False)
    return rows


def server_pid(args):
    out = subprocess.run(
        [args.bin, "--db", args.db, "server", "status", "--format", "json"],
        capture_output=True, text=True,
    ).stdout
    import json
    try:
        return json.loads(out).get("pid")
    except ValueError:
        return None


def visit_all(args, sock, name):
    """Opens an app in session `name`, visits panes 1..6; returns its pid."""
    cmd = f"'{args.bin}' --db '{args.db}' --lang zh; echo SANSHE-EXIT $?; sleep 600"
    tmux(sock, "new-session", "-d", "-s", name, "-x", str(args.cols), "-y", str(args.rows), cmd)
    pane = int(tmux(sock, "list-panes", "-t", name, "-F", "#{pane_pid}").stdout.split()[0])
    pid, t0 = None, time.monotonic()
    while pid is None and time.monotonic() - t0 < 10:
        pid = find_app(pane, os.path.basename(args.bin)[:15])
        time.sleep(POLL)
    scr = lambda: tmux(sock, "capture-pane", "-p", "-t", name).stdout
    def settle(before):
        start = time.monotonic()
        while time.monotonic() - start < args.timeout:
            text = scr()
            if ready(text, before):
                return
            time.sleep(POLL)
        raise SystemExit(f"timeout in {name}\n{scr()}")
    settle("")
    for digit in "123456":
        before = scr()
        tmux(sock, "send-keys", "-t", name, digit)
        settle(before if digit != "1" else "")
        time.sleep(args.settle)
    return pid


def run_shared(args, sock):
    tmux(sock, "kill-server", check=False)
    pids = [visit_all(args, sock, f"m{i}") for i in range(args.apps)]
    time.sleep(args.settle)
    print(f"## {args.apps} app(s) open, each after visiting every pane")
    print("| process | VmRSS MiB | VmHWM MiB |")
    print("|---|---|---|")
    spid = server_pid(args)
    if spid:
        print(f"| server | {' | '.join(map(str, status(spid)))} |")
    for i, pid in enumerate(pids):
        print(f"| app {i + 1} | {' | '.join(map(str, status(pid)))} |")
    for i in range(args.apps):
        tmux(sock, "send-keys", "-t", f"m{i}", "q")
    time.sleep(1)
    tmux(sock, "kill-server", check=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="target/release/sanshe")
    ap.add_argument("--db", required=True)
    ap.add_argument("--cols", type=int, default=120)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--settle", type=float, default=1.0, help="seconds to wait after a pane shows, before reading memory")
    ap.add_argument("--wrap", default="", help="a command to run the app under, e.g. 'heaptrack -o /tmp/ht'")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--apps", type=int, default=0, help="open N apps at once (see above)")
    args = ap.parse_args()
    sock = f"sanshe-memory-{os.getpid()}"
    if args.apps:
        run_shared(args, sock)
        return
    for run in range(args.runs):
        label = "warm-up" if args.runs > 1 and run == 0 else f"run {run}"
        rows = run_once(args, sock)
        spid = server_pid(args)
        if spid:
            rows.append(("the server, then", None, *status(spid)))
        print(f"## {label}")
        print("| after | shown in | VmRSS MiB | VmHWM MiB |")
        print("|---|---|---|---|")
        for what, took, rss, hwm in rows:
            t = "" if took is None else f"{took * 1000:.0f} ms"
            print(f"| {what} | {t} | {rss} | {hwm} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
