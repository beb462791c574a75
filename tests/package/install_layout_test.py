"""`cmake --install` (DESTDIR staging, prefix /usr) puts every file where the README's table
says, nothing else; the staged station finds its profiles (profiles check) and the staged
routersim its personalities, with no path given. argv: BUILD_DIR SOURCE_DIR."""
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
    # One personality less than the source tree: the staged folder is the one listed.
    os.remove(os.path.join(stage, "usr/share/routersim/personalities/xr99-unknown.toml"))
    out = run([os.path.join(stage, "usr/bin/routersim"), "--list"], env=clean, cwd=stage).stdout
    if "xr90-na" not in out or "xr99-unknown" in out:
        fail(f"staged routersim --list does not list its staged personalities:\n{out}")
print("ok: install layout")
