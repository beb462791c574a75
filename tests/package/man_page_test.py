"""The man page source (doc/station.1.scd) documents every command, verb and option the built
station accepts, as its --help lists them: each option of a command inside that command's
'## name' section, each verb as '*station <command> <verb>*'; and it has no section for a
command the station does not know. argv: STATION_BINARY MAN_SOURCE."""
import re
import sys

from pkgtest import fail, run

station, source = sys.argv[1], sys.argv[2]
page = open(source, encoding="utf-8").read()


def help_of(*args):
    return run([station, *args, "--help"]).stdout


def listed(text, heading):
    block = re.search(rf"^{heading}:\n((?:  .*\n)+)", text, re.MULTILINE)
    return re.findall(r"^  ([a-z][a-z-]*)  ", block.group(1), re.MULTILINE) if block else []


def options(text):
    found = re.findall(r"^  +(?:(-[a-zA-Z]) \[ )?(--[a-z][a-z0-9-]*)", text, re.MULTILINE)
    return {o for pair in found for o in pair if o and o not in ("-h", "--help")}


commands = listed(help_of(), "commands")
if len(commands) < 10:
    fail(f"station --help lists only {commands}")
sections = dict(re.findall(r"^## ([a-z-]+)\n(.*?)(?=^#{1,2} )", page, re.MULTILINE | re.DOTALL))
problems = [f"section '## {name}': no such command" for name in sections if name not in commands]
for word in ("--version", "--help"):
    if f"*{word}*" not in page.split("# DESCRIPTION")[0]:
        problems.append(f"SYNOPSIS: {word} missing")
for command in commands:
    body = sections.get(command)
    if body is None:
        problems.append(f"'station {command}': no '## {command}' section")
        continue
    text = help_of(command)
    verbs = listed(text, "verbs") or re.findall(rf"station {command} ([a-z]+) ", text)
    for verb in verbs:
        if f"*station {command} {verb}*" not in body:
            problems.append(f"'station {command} {verb}': no '*station {command} {verb}*'")
    for option in sorted(options(text)):
        if f"*{option}*" not in body:
            problems.append(f"'station {command}' accepts {option}: not in '## {command}'")
if problems:
    fail(f"{source} is out of date with the station's --help:\n  " + "\n  ".join(problems))
print(f"ok: {len(commands)} commands, every verb and option documented")
