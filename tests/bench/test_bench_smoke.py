"""The benchmarks run on a small database inside the suite (issue 8), so a
change that breaks them is noticed; the figures themselves are not checked."""

from __future__ import annotations

from tests.bench import bench_store, synthetic

# Enough residents that the typed kana name matches someone (16 × 20 name pairs).
SMALL = synthetic.Counts(residents=1000, stays=1100, children=300, aftercare=500, open_stays=5)


def test_store_benchmark_runs_on_a_small_database(tmp_path, monkeypatch):
    from shelterdesk.store import facility
    from shelterdesk.store.vault import TEST_KDF
    monkeypatch.setattr(facility, "calibrate_kdf", lambda: TEST_KDF)
    path = tmp_path / "bench.db"
    assert bench_store.build(path, SMALL) > 0
    assert bench_store.build(path, SMALL) == 0.0  # cached
    figures = bench_store.measure(path)
    assert figures and all(isinstance(v, str) and v for v in figures.values())


def test_casework_benchmark_runs_on_a_small_database(tmp_path, monkeypatch, qapp):
    from shelterdesk.store import facility
    from shelterdesk.store.vault import TEST_KDF
    from tests.bench import bench_casework
    monkeypatch.setattr(facility, "calibrate_kdf", lambda: TEST_KDF)
    small = synthetic.Counts(residents=200, stays=220, children=100, aftercare=50, open_stays=5,
                             child_support=300, case_notes=1000)
    path = tmp_path / "bench.db"
    bench_store.build(path, small)
    figures = bench_casework.measure(path)
    assert figures and all(isinstance(v, str) and v for v in figures.values())


def test_aftercare_benchmark_runs_small():
    from tests.bench import bench_aftercare
    figures = bench_aftercare.handover_round_trip(items=200)
    assert figures and all(isinstance(v, str) and v for v in figures.values())
