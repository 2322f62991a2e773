#!/usr/bin/env python3
"""Scaling of one run in each input dimension (issue 20, item 2): time N and 4N, report the ratio.

    bench/scaling.py BINARY [--runs R] [--scale S] [--only CLASS,...] [--out FILE]

For each class below, the script writes an input of size N and one of size 4N into a scratch
folder, times BINARY on each (alternately, R runs each, the median of each), and prints a
Markdown table with both times and their ratio. A linear cost gives about 4x (less when the
fixed start-up cost of about 5 ms still counts), a quadratic one about 16x; a ratio above 5x
is reported as "super-linear" and makes the script exit 1. `--scale` multiplies every N (use
0.25 for a quick look with a debug build). Timing lives here, never in a unit test.

Classes (what grows; everything else stays one small valid file):
  comments       own-line comments before a key
  suppressions   own-line `# bridgelint: ignore[...]` comments, all covering the same line
  merge-keys     keys of a mapping merged with `<<:` into another mapping
  aliases        aliases to one small anchored mapping
  keys           keys of one mapping (unknown keys: one schema-violation each)
  entries        entries of one mapping that each break the schema (accounts missing keys)
  config         unknown keys in `.bridgelint.yaml` (one error each, exit 2)
  catalog        permissions of one system of a `--catalog` folder
  rules          custom rules in a `--rules` folder
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

NOW = "2026-11-27"

HEAD = """apiVersion: bridgelint/v1
kind: Integration
metadata: { name: scale-prod, owner: team-platform, environment: prod }
"""

CONNECTIONS = """connections:
  jira:
    system: jira-cloud
    url: https://acme.atlassian.net
    account: getint-jira-prod
    credential: { type: api-token, secret: env:JIRA_TOKEN, expires: 2027-04-30,
                  rotation: { interval_days: 90, last_rotated: 2026-11-01 } }
  ado:
    system: azure-devops
    url: https://dev.azure.com/acme
    account: getint-ado-prod
    credential: { type: personal-access-token, secret: env:ADO_PAT, expires: 2027-01-31,
                  rotation: { interval_days: 90, last_rotated: 2026-11-01 } }
flows:
  - { from: jira, to: ado, sync: [create, update] }
"""


def integration(extra_before="", extra_after=""):
    return HEAD + extra_before + CONNECTIONS + extra_after


def gen_comments(d, n):
    lines = "".join(f"# note {i}: nothing to see here\n" for i in range(n))
    write(d, "integ.yaml", integration(extra_before=lines))
    return ["check", "--no-context", "integ.yaml"]


def gen_suppressions(d, n):
    lines = "".join(
        f"# bridgelint: ignore[insecure-url] reason {i} until=2027-01-01\n" for i in range(n)
    )
    write(d, "integ.yaml", integration(extra_before=lines))
    return ["check", "--no-context", "integ.yaml"]


def gen_merge_keys(d, n):
    keys = "".join(f"    k{i}: {i}\n" for i in range(n))
    write(d, "integ.yaml", integration(extra_after="x-merged:\n  own: 1\n  <<:\n" + keys))
    return ["check", "--no-context", "integ.yaml"]


def gen_aliases(d, n):
    # A scalar anchor: each alias expands to one node, within the budget of 100,000.
    items = "".join("  - *small\n" for _ in range(n))
    text = integration(extra_after="x-small: &small one\nx-list:\n" + items)
    write(d, "integ.yaml", text)
    return ["check", "--no-context", "integ.yaml"]


def gen_keys(d, n):
    keys = "".join(f"  extra_{i}: {i}\n" for i in range(n))
    text = HEAD.replace(
        "metadata: { name: scale-prod, owner: team-platform, environment: prod }\n",
        "metadata:\n  name: scale-prod\n  owner: team-platform\n  environment: prod\n" + keys,
    )
    write(d, "integ.yaml", text + CONNECTIONS)
    return ["check", "--no-context", "integ.yaml"]


def gen_entries(d, n):
    items = "".join(f"  acc-{i}: {{ type: service, bogus: 1 }}\n" for i in range(n))
    write(d, "accounts.yaml", "apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts:\n" + items)
    return ["check", "--no-context", "accounts.yaml"]


def gen_config(d, n):
    write(d, ".bridgelint.yaml", "".join(f"unknown_{i}: {i}\n" for i in range(n)))
    write(d, "integ.yaml", integration())
    return ["check", "--no-context", "integ.yaml"]


def gen_catalog(d, n):
    perms = "".join(
        f"  perm.{i}: {{ description: Permission {i}, documented: false, admin: {str(i % 7 == 0).lower()} }}\n"
        for i in range(n)
    )
    alts = "".join(f"      - perm.{i}\n" for i in range(0, n, 3))
    system = (
        "id: scale-system\nname: Scale System\n"
        "credential_types:\n  api-token: { documented: false, lifetime_cap_days: 365 }\n"
        f"permissions:\n{perms}"
        "capabilities:\n"
        f"  read:\n    documented: false\n    any_of:\n{alts}"
        f"  create:\n    documented: false\n    any_of:\n{alts}"
    )
    os.makedirs(os.path.join(d, "systems"))
    write(d, "systems/scale.yaml", system)
    # Two connections to the system, whose inline account holds every permission.
    granted = ", ".join(f"perm.{i}" for i in range(n))
    conn = (
        "    system: scale-system\n    url: https://scale.example\n"
        "    account: { type: service, username: sync@acme.example, owner: team-x,\n"
        f"               purpose: sync, permissions: [{granted}] }}\n"
        "    credential: { type: api-token, secret: env:T, expires: 2027-04-30,\n"
        "                  rotation: { interval_days: 90, last_rotated: 2026-11-01 } }\n"
    )
    text = HEAD + f"connections:\n  a:\n{conn}  b:\n{conn}" + "flows:\n  - { from: a, to: b, sync: [create] }\n"
    write(d, "integ.yaml", text)
    return ["check", "--no-context", "--catalog", "systems", "integ.yaml"]


def gen_rules(d, n):
    os.makedirs(os.path.join(d, "policy"))
    for i in range(n):
        write(
            d,
            f"policy/r{i}.yaml",
            f"name: custom-{i}\nseverity: warning\nsummary: Rule {i}.\n"
            "explanation: A generated rule.\n"
            "check:\n  for_each: integrations\n"
            f"  where: name == 'never-{i}'\n  at: name\n  message: \"rule {i} on {{name}}\"\n",
        )
    write(d, "integ.yaml", integration())
    return ["check", "--no-context", "--rules", "policy", "integ.yaml"]


# class → (generator, N at scale 1)
CLASSES = {
    "comments": (gen_comments, 40_000),
    "suppressions": (gen_suppressions, 10_000),
    "merge-keys": (gen_merge_keys, 20_000),
    "aliases": (gen_aliases, 20_000),
    "keys": (gen_keys, 10_000),
    "entries": (gen_entries, 5_000),
    "config": (gen_config, 5_000),
    "catalog": (gen_catalog, 5_000),
    "rules": (gen_rules, 250),
}


def write(d, rel, text):
    with open(os.path.join(d, rel), "w", encoding="utf-8") as f:
        f.write(text)


def input_bytes(d):
    total = 0
    for root, _, files in os.walk(d):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


def time_once(binary, d, args):
    start = time.perf_counter()
    r = subprocess.run(
        [binary, *args[:1], "--now", NOW, "--format", "compact", *args[1:]],
        cwd=d,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    if r.returncode not in (0, 1, 2):
        sys.exit(f"bench: {binary} exited {r.returncode} in {d}")
    return elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--only", default="")
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    only = [c for c in a.only.split(",") if c]
    rows = []
    worst = 0.0
    scratch = tempfile.mkdtemp(prefix="bridgelint-scaling-")
    try:
        for name, (gen, base) in CLASSES.items():
            if only and name not in only:
                continue
            n = max(1, int(base * a.scale))
            dirs = {}
            for size in (n, 4 * n):
                d = os.path.join(scratch, f"{name}-{size}")
                os.makedirs(d)
                dirs[size] = (d, gen(d, size))
            times = {n: [], 4 * n: []}
            for _ in range(a.runs):
                for size in (n, 4 * n):
                    d, args = dirs[size]
                    times[size].append(time_once(binary, d, args))
            t1 = statistics.median(times[n])
            t4 = statistics.median(times[4 * n])
            ratio = t4 / t1
            worst = max(worst, ratio)
            kb = input_bytes(dirs[4 * n][0]) / 1024
            verdict = "linear" if ratio <= 5 else "super-linear"
            rows.append(
                f"| {name} | {n:,} | {t1 * 1000:.1f} | {4 * n:,} ({kb:,.0f} KiB) "
                f"| {t4 * 1000:.1f} | {ratio:.2f} | {verdict} |"
            )
            print(rows[-1], flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    table = (
        "| class | N | ms | 4N (input size) | ms | ratio 4N/N | |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    print()
    print(table, end="")
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(table)
    sys.exit(1 if worst > 5 else 0)


if __name__ == "__main__":
    main()
