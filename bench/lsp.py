#!/usr/bin/env python3
"""Language-server latency (issue 17): drives `bridgelint lsp` over stdio on a corpus as an
editor would, and reports the initial load (initialize + open an integration → its first
diagnostics), the edit-to-diagnostics latency of an integration and of an inventory (median
and p95 over the edits), and the server's peak resident memory, against editing.md's targets.

    bench/lsp.py BIN CORPUS [--edits N] [--now YYYY-MM-DD] [--no-watch]

The server handles messages in order, so an edit is done when the reply to the request that
follows it arrives (it publishes before it answers). Timing lives here, never in a unit test.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


class Client:
    def __init__(self, argv, cwd):
        self.p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        self.next_id = 0

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def recv(self):
        length = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise SystemExit("the server ended")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            m = self.recv()
            if m.get("id") == self.next_id and "method" not in m:
                return m
            if "id" in m and "method" in m:
                # A request of the server's (client/registerCapability): accepted.
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def peak_rss_mib(self):
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")


def find(corpus, kind):
    for root, _, files in sorted(os.walk(corpus)):
        for name in sorted(files):
            if name.endswith(".yaml"):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                if f"kind: {kind}" in text:
                    return path, text
    raise SystemExit(f"no {kind} YAML file in {corpus}")


def edits(c, path, text, n):
    uri = "file://" + os.path.abspath(path)
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                       "version": 1, "text": text}})
    c.request("bridgelint/sync", None)
    times = []
    lines = text.count("\n")
    for i in range(n):
        # Append, then remove, a comment line at the end: the text changes, its findings not.
        change = ({"range": {"start": {"line": lines, "character": 0},
                             "end": {"line": lines, "character": 0}}, "text": "# edit\n"}
                  if i % 2 == 0 else
                  {"range": {"start": {"line": lines, "character": 0},
                             "end": {"line": lines + 1, "character": 0}}, "text": ""})
        started = time.perf_counter()
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": i + 2},
                                            "contentChanges": [change]})
        c.request("bridgelint/sync", None)
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(name, times, target):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    med = statistics.median(times)
    verdict = "within" if med <= target else "OVER"
    print(f"| {name} | {med:.1f} ms | {p95:.1f} ms | {target} ms (median) | {verdict} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("corpus")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--now", default="2026-11-27")
    ap.add_argument("--no-watch", action="store_true",
                    help="a client that reports no file changes (the server checks each file's "
                         "size and time before every run)")
    a = ap.parse_args()
    corpus = os.path.abspath(a.corpus)
    c = Client([os.path.abspath(a.bin), "lsp", "--now", a.now], corpus)
    started = time.perf_counter()
    watch = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
    caps = {} if a.no_watch else watch
    c.request("initialize", {"capabilities": caps, "rootUri": "file://" + corpus})
    c.notify("initialized", {})
    integ, integ_text = find(corpus, "Integration")
    inv, inv_text = find(corpus, "ServiceAccounts")
    uri = "file://" + integ
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                       "version": 1, "text": integ_text}})
    c.request("bridgelint/sync", None)
    load = (time.perf_counter() - started) * 1000
    c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    print(f"corpus: {corpus}")
    print("| measure | median | p95 | target | |")
    print("|---|---|---|---|---|")
    print(f"| initial load | {load:.0f} ms | | 1500 ms | {'within' if load <= 1500 else 'OVER'} |")
    summary("edit an integration", edits(c, integ, integ_text, a.edits), 20)
    summary("edit the inventory", edits(c, inv, inv_text, a.edits), 200)
    rss = c.peak_rss_mib()
    print(f"| peak resident memory | {rss:.0f} MiB | | 256 MiB | {'within' if rss <= 256 else 'OVER'} |")
    c.request("shutdown", None)
    c.notify("exit", None)
    sys.exit(c.p.wait())


if __name__ == "__main__":
    main()
