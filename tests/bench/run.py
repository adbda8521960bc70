"""`make bench`: build the large synthetic database once (cached in
.benchmarks/) and print the figures issue 2 asks for, then the figures of the
other benchmarks present (documents, ledger import).

Targets for a later check (figures, not assertions): each keystroke answered
in under 50 ms, the list's first page in under 100 ms.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKDIR = ROOT / ".benchmarks"
OTHERS = ("tests.bench.bench_plain", "tests.bench.bench_startup", "tests.bench.bench_pdf",
          "tests.bench.bench_first_preview",
          "tests.bench.bench_import",
          "tests.bench.bench_reports", "tests.bench.bench_plans", "tests.bench.bench_casework",
          "tests.bench.bench_aftercare", "tests.bench.bench_backup")


def _table(title: str, rows: dict[str, str]) -> str:
    width = max((len(k) for k in rows), default=10)
    lines = [title, "-" * (width + 3 + max((len(v) for v in rows.values()), default=10))]
    lines += [f"{k.ljust(width)}   {v}" for k, v in rows.items()]
    return "\n".join(lines)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    WORKDIR.mkdir(exist_ok=True)
    from tests.bench import bench_store

    start = time.perf_counter()
    status = 0
    print(_table("ShelterDesk benchmark: store (20,000 residents)", bench_store.run(WORKDIR)),
          flush=True)
    for name in OTHERS:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                print(f"\n({name.rsplit('.', 1)[1]}: not present)")
                continue
            raise
        print()
        title = f"ShelterDesk benchmark: {name.rsplit('.', 1)[1]}"
        try:
            rows = mod.run(WORKDIR)
        except Exception as e:  # one failing benchmark must not hide the others' figures
            rows = {"FAILED": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"}
            status = 1
        print(_table(title, rows), flush=True)
    print(f"\n(total {time.perf_counter() - start:.1f} s; targets: keystroke < 50 ms, "
          f"first page < 100 ms)")
    return status


if __name__ == "__main__":
    sys.exit(main())
