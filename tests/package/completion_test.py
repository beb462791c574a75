"""The bash completion (packaging/bash-completion/station), sourced in a real bash with the
built station first on PATH: each case sets COMP_WORDS / COMP_CWORD as bash would, calls the
function `complete -p station` names and compares COMPREPLY with what must (and must not) be
offered. Commands and options are checked against the station's own --help.
argv: STATION_BINARY COMPLETION_FILE."""
import os
import re
import shlex
import subprocess
import sys
import tempfile

from pkgtest import fail, run

station, completion = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])


def complete_all(lines, cwd, env):
    """COMPREPLY for each command line (its last word is being completed), in one bash."""
    script = (f"source {shlex.quote(completion)} || exit 1\n"
              "fn=$(complete -p station | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p')\n"
              "[ -n \"$fn\" ] || { echo 'no completion function for station' >&2; exit 1; }\n")
    for words in lines:
        script += (f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
                   f"COMP_CWORD={len(words) - 1}\n"
                   "COMPREPLY=()\n"
                   "\"$fn\" station \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                   "printf '%s\\n' \"${COMPREPLY[@]}\" '=== end of case'\n")
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        fail(f"completion script: bash exit {done.returncode}: {done.stderr}")
    replies = done.stdout.split("=== end of case\n")[:-1]
    if len(replies) != len(lines):
        fail(f"completion script: {len(replies)} answers for {len(lines)} cases: {done.stdout}")
    return [{w for w in reply.splitlines() if w} for reply in replies]


def help_options(*args):
    text = run([station, *args, "--help"]).stdout
    return set(re.findall(r"^  +(?:-[a-zA-Z] \[ )?(--[a-z][a-z0-9-]*)", text, re.MULTILINE))


with tempfile.TemporaryDirectory(prefix="station-completion-") as work:
    profiles = os.path.join(work, "my profiles")
    os.mkdir(profiles)
    source_profiles = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(
        os.path.dirname(__file__)))), "profiles")
    for name in ("xr90-na.toml", "em7565.toml", "networks.toml"):
        with open(os.path.join(source_profiles, name), encoding="utf-8") as src, \
             open(os.path.join(profiles, name), "w", encoding="utf-8") as dst:
            dst.write(src.read())
    for name in ("bench-a.toml", "bench-b.toml", "notes.txt", "my bench.toml"):
        open(os.path.join(work, name), "w").close()
    os.mkdir(os.path.join(work, "rigs"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    env["PATH"] = os.path.dirname(os.path.abspath(station)) + os.pathsep + env.get("PATH", "")

    commands_help = run([station, "--help"]).stdout
    commands = set(re.findall(r"^  ([a-z]+)  ", commands_help, re.MULTILINE))
    cases = [
        # (words, must be offered, must not be offered)
        (["station", ""], commands | {"--help", "--version"}, set()),
        (["station", "re"], {"retest", "regress", "report", "register"}, {"runs", "rig"}),
        (["station", "register", ""], {"push", "status", "export"}, set()),
        (["station", "profiles", ""], {"list", "check"}, set()),
        (["station", "provision", "--"], help_options("provision") - {"--help"}, set()),
        (["station", "rig", "learn", "--"], help_options("rig", "learn"), {"--db"}),
        (["station", "register", "push", "--c"], {"--credentials"}, {"--columns"}),
        (["station", "identify", "--profiles-dir", profiles, "--profile", ""],
         {"xr90-na", "em7565"}, {"xr80-na", "networks"}),
        (["station", "provision", "--expect", "xr"], {"xr90-na", "xr80-na", "xr60-global"},
         {"em7565"}),
        (["station", "provision", "--rig", ""],
         {"bench-a.toml", "bench-b.toml", "my bench.toml", "rigs"}, {"notes.txt", "my"}),
        (["station", "provision", "--rig", "bench-"], {"bench-a.toml", "bench-b.toml"}, set()),
        (["station", "register", "export", "--data-center", ""], {"na", "eu"}, set()),
        (["station", "register", "export", "--format", ""], {"alms-csv", "json"}, {"junit"}),
        (["station", "report", "--format", ""], {"table", "csv", "json", "junit"}, set()),
        (["station", "provision", "--term", ""], {"1", "3", "5"}, set()),
        (["station", "history", "--db", "bench-"], {"bench-a.toml", "bench-b.toml"}, set()),
    ]
    problems = []
    replies = complete_all([words for words, _, _ in cases], work, env)
    for (words, must, must_not), got in zip(cases, replies):
        if not must:
            problems.append(f"{words}: the case expects nothing (a test that cannot fail)")
        if must - got:
            problems.append(f"{words}: missing {sorted(must - got)} (got {sorted(got)})")
        if must_not & got:
            problems.append(f"{words}: offers {sorted(must_not & got)}")
    if problems:
        fail("bash completion:\n  " + "\n  ".join(problems))
print(f"ok: {len(cases)} completion cases")
