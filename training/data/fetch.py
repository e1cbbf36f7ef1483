"""Download the Debian packages that ship photographs and extract them (no install needed).

Idempotent: a package whose extract dir exists is skipped. Packages apt cannot find are
reported and skipped, never fatal.
"""
import glob
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # training/
CACHE = os.path.join(ROOT, ".cache")
DEBS = os.path.join(CACHE, "debs")
EXTRACT = os.path.join(CACHE, "extract")

PACKAGES = [
    "gcompris-qt-data", "lomiri-wallpapers-16.04", "lomiri-wallpapers-20.04",
    "mate-backgrounds", "lxqt-themes", "opencv-doc", "palapeli-data", "digikam-data",
    "libjxl-testdata", "tuxpaint-stamps-default",
]
# Their photographs only ever train (build.split_photos never holds them out): they came after the split was
# drawn, and holding some out would re-draw it and change every held-out number measured so far.
TRAIN_ONLY_PACKAGES = ["plasma-workspace-wallpapers"]
ALL_PACKAGES = PACKAGES + TRAIN_ONLY_PACKAGES


def fetch_one(pkg, log=print):
    """Return the extract dir of pkg, or None when apt cannot get it."""
    dest = os.path.join(EXTRACT, pkg)
    if os.path.isdir(dest) and os.path.exists(os.path.join(dest, ".done")):
        return dest
    os.makedirs(DEBS, exist_ok=True)
    debs = glob.glob(os.path.join(DEBS, f"{pkg}_*.deb"))
    if not debs:
        r = subprocess.run(["apt-get", "download", pkg], cwd=DEBS,
                           capture_output=True, text=True)
        if r.returncode != 0:
            log(f"[fetch] SKIP {pkg}: apt-get download failed: {r.stderr.strip()[-200:]}")
            return None
        debs = glob.glob(os.path.join(DEBS, f"{pkg}_*.deb"))
        if not debs:
            log(f"[fetch] SKIP {pkg}: no .deb after download")
            return None
    os.makedirs(dest, exist_ok=True)
    subprocess.run(["dpkg-deb", "-x", sorted(debs)[-1], dest], check=True)
    open(os.path.join(dest, ".done"), "w").close()  # marks a complete extraction
    log(f"[fetch] extracted {pkg}")
    return dest


def fetch_all(packages=ALL_PACKAGES, log=print):
    """Fetch every package; return {pkg: extract dir} for those that worked."""
    got = {}
    for pkg in packages:
        d = fetch_one(pkg, log)
        if d:
            got[pkg] = d
    missing = [p for p in packages if p not in got]
    if missing:
        log(f"[fetch] missing packages: {', '.join(missing)}")
    return got


if __name__ == "__main__":
    res = fetch_all(sys.argv[1:] or ALL_PACKAGES)
    print(f"[fetch] {len(res)} packages ready under {EXTRACT}")
