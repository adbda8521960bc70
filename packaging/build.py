"""Build the frozen program and its archive: ``make package`` on Linux,
``py packaging\\build.py`` on Windows (same spec, same steps).

1. compile the catalogs (the spec refuses to build without them);
2. PyInstaller with packaging/shelterdesk.spec -> dist/shelterdesk/
   (PYTHONHASHSEED=0 and a clean work folder, as PyInstaller advises for
   repeatable builds; versions are pinned in pyproject.toml);
3. the archive to copy to the USB stick, with files in name order and fixed
   times: dist/shelterdesk-VERSION-linux-x86_64.tar.gz or
   dist\\shelterdesk-VERSION-windows-x86_64.zip;
4. its SHA-256 in dist/SHA256SUMS (``sha256sum -c`` format; replaces an
   older line for the same file);
5. on Linux, the installer and the desktop entry beside the archive
   (dist/install.sh, dist/shelterdesk.desktop, their lines in SHA256SUMS too):
   the README's install steps run in the folder of the stick, which holds
   what dist/ holds, not a checkout.

Nothing here reaches the network.
"""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import sys
import tarfile
import time
import zipfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
FOLDER = DIST / "shelterdesk"
#: 2026-01-01: the time stamped on every archive member (repeatable archives).
FIXED_TIME = 1767225600


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def record_checksum(path: Path) -> str:
    sums = DIST / "SHA256SUMS"
    lines = [line for line in (sums.read_text().splitlines() if sums.exists() else [])
             if not line.endswith("  " + path.name)]
    digest = sha256(path)
    lines.append(f"{digest}  {path.name}")
    sums.write_text("\n".join(sorted(lines, key=lambda s: s[66:])) + "\n")
    return digest


def _members(folder: Path):
    for path in sorted(folder.rglob("*")):
        yield path, path.relative_to(folder.parent).as_posix()


def make_archive(version: str) -> Path:
    machine = {"amd64": "x86_64"}.get(platform.machine().lower(), platform.machine().lower())
    if sys.platform == "win32":
        out = DIST / f"shelterdesk-{version}-windows-{machine}.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for path, name in _members(FOLDER):
                if path.is_file():
                    info = zipfile.ZipInfo(name, time.gmtime(FIXED_TIME)[:6])
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = (path.stat().st_mode & 0xFFFF) << 16
                    z.writestr(info, path.read_bytes())
        return out
    out = DIST / f"shelterdesk-{version}-linux-{machine}.tar.gz"

    def normal(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.mtime = FIXED_TIME
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(out, "w:gz", compresslevel=6) as t:
        for path, name in _members(FOLDER):
            t.add(path, name, recursive=False, filter=normal)
    return out


def copy_installer() -> list[Path]:
    """packaging/linux/install.sh and the desktop entry, next to the archive."""
    copied = []
    for name in ("install.sh", "shelterdesk.desktop"):
        out = DIST / name
        out.write_bytes((ROOT / "packaging" / "linux" / name).read_bytes())
        out.chmod(0o755 if name.endswith(".sh") else 0o644)
        record_checksum(out)
        copied.append(out)
    return copied


def main() -> int:
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "tools" / "compile_catalogs.py")], check=True)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--log-level", "WARN", "--distpath", str(DIST),
                    "--workpath", str(ROOT / "build" / "pyinstaller"),
                    str(ROOT / "packaging" / "shelterdesk.spec")], check=True, env=env, cwd=ROOT)
    built = time.monotonic() - started
    archive = make_archive(metadata.version("shelterdesk"))
    digest = record_checksum(archive)
    if sys.platform != "win32":
        copy_installer()
    size = sum(p.lstat().st_size for p in FOLDER.rglob("*") if not p.is_symlink() and p.is_file())
    print(f"{FOLDER}: {size / 1e6:.0f} MB (frozen in {built:.0f} s)")
    print(f"{archive}: {archive.stat().st_size / 1e6:.0f} MB, sha256 {digest}")
    print(f"total {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
