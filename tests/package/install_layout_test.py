"""`cmake --install` (DESTDIR staging, prefix /usr) puts every file where the README's table
says, nothing else; the staged station finds its profiles (profiles check) and its
system-wide config file (after the user's), and the staged routersim its personalities, with
no path given. argv: BUILD_DIR SOURCE_DIR."""
import os
import sys
import tempfile

from pkgtest import check_layout, fail, readme_files, run

build, source = sys.argv[1], sys.argv[2]
rows = readme_files(os.path.join(source, "README.md"))
with tempfile.TemporaryDirectory(prefix="station-install-") as stage:
    env = dict(os.environ, DESTDIR=stage)
    run(["cmake", "--install", build, "--prefix", "/usr"], env=env)
    problems = check_layout(stage, rows, {"station", "station-routersim"})
    if problems:
        fail("cmake --install:\n  " + "\n  ".join(problems))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    station = os.path.join(stage, "usr/bin/station")
    out = run([station, "profiles", "check"], env=clean, cwd=stage).stdout
    want = os.path.join(stage, "usr/share/station/profiles/xr90-na.toml")
    if want not in out or "0 error(s)" not in out:
        fail(f"staged profiles check did not check {want}:\n{out}")
    # The system-wide config file of <prefix>/bin/station is <prefix>/etc/station/station.toml
    # (/etc/station for /usr): read when the user has none, and the user's wins.
    home = os.path.join(stage, "home")
    os.makedirs(os.path.join(home, ".config/station"))
    system = os.path.join(stage, "usr/etc/station")
    os.makedirs(system)
    with open(os.path.join(system, "station.toml"), "w") as f:
        f.write('db = "system.db"\n')
    env = dict(clean, HOME=home)
    env.pop("XDG_CONFIG_HOME", None)
    out = run([station, "db", "check"], env=env, check=False).stderr
    if os.path.join(system, "system.db") not in out:
        fail(f"db check did not use the system-wide config {system}/station.toml: {out}")
    with open(os.path.join(home, ".config/station/station.toml"), "w") as f:
        f.write('db = "user.db"\n')
    out = run([station, "db", "check"], env=env, check=False).stderr
    if os.path.join(home, ".config/station/user.db") not in out:
        fail(f"db check did not prefer the user's config file: {out}")
    # One personality less than the source tree: the staged folder is the one listed.
    os.remove(os.path.join(stage, "usr/share/routersim/personalities/xr99-unknown.toml"))
    out = run([os.path.join(stage, "usr/bin/routersim"), "--list"], env=clean, cwd=stage).stdout
    if "xr90-na" not in out or "xr99-unknown" in out:
        fail(f"staged routersim --list does not list its staged personalities:\n{out}")
print("ok: install layout")
