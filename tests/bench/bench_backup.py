"""Benchmark (issue 12): backup + read-back and restore of the large synthetic
database (targets < 5 s each for its ~31 MB). Run alone:
``.venv/bin/python -m tests.bench.bench_backup``."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def run(workdir: Path) -> dict[str, str]:
    from shelterdesk.store import backup as backups
    from shelterdesk.store import session as sessions
    from tests.bench import bench_store

    path = workdir / "bench_store.db"
    bench_store.build(path)
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="shelterdesk-bench-") as tmp:
        s = sessions.unlock(path, bench_store.LOGIN, bench_store.PASSWORD)
        try:
            out["database size"] = f"{path.stat().st_size / 1e6:.1f} MB"
            t = time.perf_counter()
            result = backups.backup(s, Path(tmp) / "bench.sdbk")
            out["backup + read-back + checks (target < 5 s)"] = (
                f"{time.perf_counter() - t:.2f} s ({result.size / 1e6:.1f} MB)")
        finally:
            s.lock()
        t = time.perf_counter()
        backups.restore(result.path, Path(tmp) / "restored.db", bench_store.LOGIN,
                        bench_store.PASSWORD)
        out["restore + checks (target < 5 s; includes one password KDF)"] = (
            f"{time.perf_counter() - t:.2f} s")
    return out


if __name__ == "__main__":
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    for k, v in run(Path(__file__).resolve().parents[2] / ".benchmarks").items():
        print(f"{k}: {v}")
