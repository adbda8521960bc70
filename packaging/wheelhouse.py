"""``make wheelhouse``: every wheel ShelterDesk needs, for the shelter PC
without a network, in dist/wheelhouse/.

For each target (Linux x86-64 and Windows x86-64, CPython 3.11 and 3.12) pip
downloads binary wheels only (``--only-binary=:all:``) of the installed
distribution's run-time requirements (packaging/deps.py: read from its
metadata, so a dependency added to pyproject.toml comes along) and of theirs.
ShelterDesk's own wheel is built from this checkout (no network: the
setuptools and Babel of the .venv). Then:

- every distribution must have a wheel for every target, or this fails,
  naming it (a dependency with only a source archive would need a compiler on
  the shelter PC);
- ``requirements.txt`` pins each distribution to one version with a
  ``--hash=sha256:`` for every file of it, so on the PC

      pip install --no-index --find-links wheelhouse --require-hashes -r wheelhouse/requirements.txt

  installs exactly these files and nothing else;
- ``SHA256SUMS`` lists every file (``sha256sum -c`` format).

Usage: wheelhouse.py [OUT_DIR] (default dist/wheelhouse). Needs the network
(PyPI) for the download only.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import deps

ROOT = Path(__file__).resolve().parents[1]

#: Linux wheels for glibc 2.35 (Ubuntu 22.04, Debian 12) and older: pip does
#: not widen a --platform tag to older manylinux ones, so every one is named.
LINUX = (*(f"manylinux_2_{minor}_x86_64" for minor in range(35, 16, -1)),
         "manylinux2014_x86_64")
#: (name, pip --platform values, python version).
TARGETS = (
    ("linux-x86_64", LINUX, "3.11"),
    ("linux-x86_64", LINUX, "3.12"),
    ("windows-x86_64", ("win_amd64",), "3.11"),
    ("windows-x86_64", ("win_amd64",), "3.12"),
)

_WHEEL = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def download(out: Path, requirements: list[str]) -> dict[str, set[str]]:
    """Download for every target; which files each target needs."""
    per_target: dict[str, set[str]] = {}
    for label, platforms, python in TARGETS:
        with tempfile.TemporaryDirectory() as tmp:
            reqs = Path(tmp) / "requirements.in"
            reqs.write_text("\n".join(requirements) + "\n")
            cmd = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
                   "--only-binary=:all:", "--implementation", "cp",
                   "--python-version", python, "-d", str(out), "-r", str(reqs)]
            for p in platforms:
                cmd += ["--platform", p]
            abi = "cp" + python.replace(".", "")
            for a in (abi, "abi3", "none"):
                cmd += ["--abi", a]
            print(f"== {label} CPython {python}", flush=True)
            got = subprocess.run(cmd, capture_output=True, text=True)
            if got.returncode:
                sys.stderr.write(got.stdout[-3000:] + got.stderr[-3000:])
                raise SystemExit(f"wheelhouse: no complete set of wheels for {label} "
                                 f"CPython {python} (see pip's message above)")
            names = set(re.findall(r"(?:Saved|File was already downloaded) (\S+\.whl)",
                                   got.stdout))
            per_target[f"{label} cp{python}"] = {Path(n).name for n in names}
    return per_target


def build_own_wheel(out: Path) -> Path:
    for old in out.glob("shelterdesk-*.whl"):
        old.unlink()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "--disable-pip-version-check", "-q", "-w", str(out),
                    str(ROOT)], check=True)
    (wheel,) = out.glob("shelterdesk-*.whl")
    return wheel


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "wheelhouse"
    out.mkdir(parents=True, exist_ok=True)
    requirements = [str(r) for r in deps.runtime_requirements()]
    per_target = download(out, requirements)
    own = build_own_wheel(out)

    wanted = set().union(*per_target.values())
    for stale in out.glob("*.whl"):  # wheels left from an older run
        if stale.name not in wanted and stale != own:
            stale.unlink()
    names_per_target = {t: {canonical(_WHEEL.match(f)["name"]) for f in files}
                        for t, files in per_target.items()}
    every = set().union(*names_per_target.values())
    gaps = [f"{name}: no wheel for {t}" for t, names in names_per_target.items()
            for name in sorted(every - names)]
    files: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for f in sorted(wanted | {own.name}):
        m = _WHEEL.match(f)
        files[canonical(m["name"])][m["version"]].append(f)
    gaps += [f"{name}: several versions {sorted(v)}" for name, v in files.items() if len(v) > 1]
    if gaps:
        raise SystemExit("wheelhouse: " + "; ".join(gaps))

    lines = ["# ShelterDesk's wheelhouse (packaging/wheelhouse.py). Install offline with:",
             "#   pip install --no-index --find-links DIR --require-hashes -r DIR/requirements.txt"]
    for name in sorted(files):
        ((version, wheels),) = files[name].items()
        hashes = " ".join(f"--hash=sha256:{sha256(out / w)}" for w in sorted(wheels))
        lines.append(f"{name}=={version} {hashes}")
    (out / "requirements.txt").write_text("\n".join(lines) + "\n")
    sums = [f"{sha256(p)}  {p.name}" for p in sorted(out.iterdir())
            if p.is_file() and p.name != "SHA256SUMS"]
    (out / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    size = sum(p.stat().st_size for p in out.glob("*.whl"))
    print(f"{out}: {len(wanted) + 1} wheels, {size / 1e6:.0f} MB, "
          f"{len(files)} distributions, every one for {len(per_target)} targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
