#!/usr/bin/env python3
"""How fast `agentchat wait` prints a message that arrives, measured from outside with a real server.

Usage: wait-latency.py JAR DIR_A DIR_B
  DIR_A, DIR_B: two agents' directories, each with its identity and a running daemon
  (`agentchat daemon ws://... --background`) joined to #general. B's outbox sends; A waits.

For each case, 5 runs: `wait` already running (started 3 s before the message is sent) and
`wait` started cold as the message is sent. Times (ms, median/min/max):
  start_to_print  `java -jar JAR wait` started -> its first line printed
  send_to_inbox   the line appended to B's outbox -> A's inbox grew (relay and both daemons)
  inbox_to_print  A's inbox grew -> `wait` printed
  send_to_print   the line appended -> `wait` printed
BENCHMARKS.md ("Agents at work: wait latency") reports a run.
"""
import json
import os
import subprocess
import sys
import threading
import time

JAR, A, B = sys.argv[1:4]
INBOX = os.path.join(A, ".agentchat/daemons/default/inbox.jsonl")
OUTBOX = os.path.join(B, ".agentchat/daemons/default/outbox.jsonl")


def send(text):
    with open(OUTBOX, "a") as f:
        f.write(json.dumps({"to": "#general", "content": text}) + "\n")


def inbox_grew(size):
    while os.path.getsize(INBOX) <= size:
        time.sleep(0.0005)
    return time.monotonic()


def run(delay_before_send):
    subprocess.run(["java", "-jar", JAR, "poll"], cwd=A, capture_output=True)  # drain
    size = os.path.getsize(INBOX)
    seen = {}
    watcher = threading.Thread(target=lambda: seen.__setitem__("inbox", inbox_grew(size)))
    watcher.start()
    started = time.monotonic()
    wait = subprocess.Popen(
        ["java", "-jar", JAR, "wait", "--timeout", "60"], cwd=A, stdout=subprocess.PIPE)
    time.sleep(delay_before_send)
    sent = time.monotonic()
    send("ping %f" % sent)
    wait.stdout.readline()
    printed = time.monotonic()
    wait.wait()
    watcher.join()
    return dict(start_to_print=printed - started, send_to_inbox=seen["inbox"] - sent,
                inbox_to_print=printed - seen["inbox"], send_to_print=printed - sent,
                exit=wait.returncode)


for case, delay in (("wait already running", 3.0), ("wait started cold", 0.0)):
    rows = [run(delay) for _ in range(5)]
    print(case)
    for key in ("start_to_print", "send_to_inbox", "inbox_to_print", "send_to_print"):
        v = sorted(r[key] * 1000 for r in rows)
        print("  %-15s ms: median %4.0f  min %4.0f  max %4.0f" % (key, v[2], v[0], v[-1]))
    print("  exit codes:", [r["exit"] for r in rows])
