"""Helpers of the packaging tests (tests/package): run a program, fail with a message, read
the README's table of installed files."""
import os
import re
import subprocess
import sys


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def run(args, env=None, cwd=None, check=True, timeout=120):
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        fail(f"{' '.join(map(str, args))}: exit {done.returncode}\n{done.stdout}{done.stderr}")
    return done


def readme_files(readme):
    """(path, package) of each row of the README's table under '## Installing'."""
    text = open(readme, encoding="utf-8").read()
    start = text.index("\n## Installing")
    end = text.index("\n## ", start + 1)
    rows = re.findall(r"^\| `(/[^`]+)` \| ([a-z-]+) \|", text[start:end], re.MULTILINE)
    if len(rows) < 10:
        fail(f"{readme}: the table of installed files under '## Installing' has {len(rows)} rows")
    return rows


def check_layout(root, rows, packages):
    """Every README path of `packages` is in root (a folder ending '/' is non-empty), and every
    file in root is under one of those paths. Returns the problems."""
    problems = []
    listed = [(p, pkg) for p, pkg in rows if pkg in packages]
    for path, pkg in listed:
        where = os.path.join(root, path.lstrip("/"))
        if path.endswith("/"):
            if not os.path.isdir(where) or not os.listdir(where):
                problems.append(f"{path} ({pkg}): missing or empty folder")
        elif not os.path.isfile(where):
            problems.append(f"{path} ({pkg}): missing")
    for folder, _, files in os.walk(root):
        for name in files:
            rel = "/" + os.path.relpath(os.path.join(folder, name), root)
            if not any(rel == p or (p.endswith("/") and rel.startswith(p)) for p, _ in listed):
                problems.append(f"{rel}: installed but not in the README's table")
    return problems
