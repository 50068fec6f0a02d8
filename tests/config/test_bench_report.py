"""The benchmark's report says, for every target of issue 16, whether the run met it."""

from bench.run import target_lines


def _run(learners, rps):
    healthz, bare = rps["trivial"], rps["bare"]
    results = [
        {"scenario": name, "rps": value, "p95_ms": 40.0, "ratio": value / healthz, "ratio_bare": value / bare}
        for name, value in rps.items()
    ]
    return {"meta": {"learners": learners}, "results": results}


def test_the_report_marks_each_target_met_or_not_and_names_what_is_not_flat():
    small = {"bare": 4000, "trivial": 1000, "dashboard": 1100, "toggle": 150, "api_summary": 250}
    large = {**small, "toggle": 120}
    text = "\n".join(target_lines([_run(10_000, small), _run(100_000, large)]))
    assert "| dashboard ≥ 0.25× bare | 0.28 | 0.28 | met |" in text
    assert "| dashboard p95 ≤ 50 ms | 40.0 ms | 40.0 ms | met |" in text
    assert "| toggle ≥ 0.2× /healthz | 0.15 | 0.12 | **not met** |" in text
    assert "| api_summary ≥ 0.2× /healthz | 0.25 | 0.25 | met |" in text
    assert "**not met** for toggle 0.80;" in text
    assert "practice" not in text  # a scenario the run did not measure is not judged
