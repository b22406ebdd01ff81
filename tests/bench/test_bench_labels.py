"""The label benchmark runs and reports its figures."""

from __future__ import annotations

from floor.bench.bench_labels import run, sample
from floor.labels.kinds import build_label
from floor.labels.zpl import to_zpl


def test_bench_reports_positive_rates() -> None:
    """GIVEN the quick benchmark WHEN run THEN both contract figures are positive numbers."""
    figures = run(quick=True)
    assert figures["zpl_labels_per_s"] > 0 and figures["png_labels_per_s"] > 0


def test_bench_sample_is_valid_and_distinct() -> None:
    """GIVEN the benchmark's sample WHEN rendered THEN every label is distinct ZPL (no cache-only shortcut)."""
    zpls = [to_zpl(build_label(d)) for d in sample(100)]
    assert len(set(zpls)) == 100 and all(z.startswith("^XA") for z in zpls)
