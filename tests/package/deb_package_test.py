"""The Debian packages (scripts/package): built from the build folder, unpacked into a fresh
root (dpkg-deb -x: `dpkg --root` would run the maintainer scripts inside an empty root), every
file where the README's table says and nothing else; Depends from dpkg-shlibdeps; conffiles;
the unpacked station runs (--version, profiles check finding the unpacked profiles) and so does
routersim; postinst run against stand-in tools creates the user and the state folder and never
fails over udev; lintian (when installed) reports no error or warning.
argv: BUILD_DIR SOURCE_DIR."""
import os
import stat
import subprocess
import sys
import tempfile

from pkgtest import check_layout, fail, readme_files, run

build, source = sys.argv[1], sys.argv[2]
rows = readme_files(os.path.join(source, "README.md"))
problems = []


def field(deb, name):
    return run(["dpkg-deb", "-f", deb, name]).stdout.strip()


def check_control(debs):
    depends = field(debs["station"], "Depends")
    for package in ("libc6", "libstdc++6", "libsqlite3-0", "libserialport0", "libusb-1.0-0",
                    "libcurl4", "libboost-program-options", "libtomlplusplus3", "adduser"):
        if package not in depends:
            problems.append(f"station Depends lacks {package}: {depends}")
    if "libtomlplusplus3" not in field(debs["station-routersim"], "Depends"):
        problems.append("station-routersim Depends lacks libtomlplusplus3")
    with tempfile.TemporaryDirectory() as control:
        run(["dpkg-deb", "-e", debs["station"], control])
        conffiles = open(os.path.join(control, "conffiles")).read().split()
        if conffiles != ["/etc/station/station.toml", "/etc/station/register-push.env"]:
            problems.append(f"conffiles: {conffiles}")
        for script in ("postinst", "postrm"):
            mode = os.stat(os.path.join(control, script)).st_mode
            if not mode & stat.S_IXUSR:
                problems.append(f"{script} is not executable")
        check_postinst(os.path.join(control, "postinst"))


def fake_tools(folder, udevadm_exit):
    """Stand-ins logging their arguments; udevadm exits udevadm_exit (None: no udevadm)."""
    os.makedirs(folder)
    tools = {"getent": 'case "$1 $2" in "passwd station") exit 2;; esac; exit 0',
             "adduser": "exit 0", "chown": "exit 0", "systemctl": "exit 0"}
    if udevadm_exit is not None:
        tools["udevadm"] = f"exit {udevadm_exit}"
    for name, body in tools.items():
        path = os.path.join(folder, name)
        with open(path, "w") as f:
            f.write(f'#!/bin/sh\necho "{name} $*" >> "$CALLS"\n{body}\n')
        os.chmod(path, 0o755)
    for name in ("mkdir", "chmod"):
        os.symlink(f"/bin/{name}", os.path.join(folder, name))


def check_postinst(postinst):
    for udevadm_exit in (0, 1, None):
        with tempfile.TemporaryDirectory() as root:
            tools = os.path.join(root, "tools")
            fake_tools(tools, udevadm_exit)
            calls = os.path.join(root, "calls")
            env = {"PATH": tools, "DPKG_ROOT": os.path.join(root, "target"), "CALLS": calls}
            done = subprocess.run(["/bin/sh", postinst, "configure", ""], env=env,
                                  capture_output=True, text=True, timeout=60)
            what = f"postinst (udevadm {'missing' if udevadm_exit is None else udevadm_exit})"
            if done.returncode != 0:
                problems.append(f"{what}: exit {done.returncode}: {done.stderr}")
                continue
            log = open(calls).read()
            for want in ("adduser --system --group --home /var/lib/station", "adduser station dialout",
                         "adduser station plugdev", "chown station:station"):
                if want not in log:
                    problems.append(f"{what}: no '{want}' in {log!r}")
            if udevadm_exit is not None and "udevadm control --reload" not in log:
                problems.append(f"{what}: udev rules not reloaded: {log!r}")
            state = os.path.join(root, "target/var/lib/station")
            if not os.path.isdir(state) or stat.S_IMODE(os.stat(state).st_mode) != 0o2775:
                problems.append(f"{what}: {state} missing or not mode 2775")


with tempfile.TemporaryDirectory(prefix="station-deb-") as work:
    out = os.path.join(work, "debs")
    made = run([os.path.join(source, "scripts/package"), "--no-build", "--out", out],
               env=dict(os.environ, STATION_BUILD_DIR=build), timeout=600).stdout.split()
    debs = {field(deb, "Package"): deb for deb in made}
    if sorted(debs) != ["station", "station-routersim"]:
        fail(f"scripts/package made {made}")
    check_control(debs)
    root = os.path.join(work, "root")
    for deb in debs.values():
        run(["dpkg-deb", "-x", deb, root])
    problems += check_layout(root, rows, {"station", "station-routersim"})
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    station = os.path.join(root, "usr/bin/station")
    version = run([station, "--version"], env=clean).stdout
    if not version.startswith("station "):
        problems.append(f"station --version: {version!r}")
    profiles = os.path.join(root, "usr/share/station/profiles")
    for extra in ([], ["--profiles-dir", profiles]):
        checked = run([station, "profiles", "check", *extra], env=clean, cwd=work).stdout
        if os.path.join(profiles, "xr90-na.toml") not in checked or "0 error(s)" not in checked:
            problems.append(f"profiles check {extra} did not check {profiles}: {checked}")
    listed = run([os.path.join(root, "usr/bin/routersim"), "--list"], env=clean).stdout
    if "xr90-na" not in listed:
        problems.append(f"routersim --list: {listed}")
    if subprocess.run(["sh", "-c", "command -v lintian"], capture_output=True).returncode == 0:
        lint = run(["lintian", *debs.values()], check=False, timeout=600)
        bad = [line for line in lint.stdout.splitlines() if line[:2] in ("E:", "W:")]
        if bad or lint.returncode != 0:
            problems.append("lintian:\n    " + "\n    ".join(bad or [lint.stderr]))
    else:
        print("note: lintian not installed: its check is skipped (apt-get install lintian)")

if problems:
    fail("Debian packages:\n  " + "\n  ".join(problems))
print("ok: station and station-routersim packages")
