"""The pass/fail figures the platform's users asked for, judged over every request of a run."""

from __future__ import annotations

from dataclasses import dataclass

# 95 % of all requests answered within this many milliseconds
P95_MS = 500
# at most this share of all requests may fail (a 5xx, a 429, a timeout or an unexpected status)
ERROR_RATIO = 0.001


@dataclass
class Verdict:
    passed: bool
    lines: list[str]


def judge(stats, exceptions: int) -> Verdict:
    """stats: Locust's RequestStats; exceptions: errors raised by the scenario's own code"""
    total = stats.total
    requests = total.num_requests
    failures = total.num_failures
    ratio = total.fail_ratio
    p95 = total.get_response_time_percentile(0.95) if requests else 0
    rps = total.total_rps
    figures = f"{requests} requests ({rps:.1f}/s), p95 {p95} ms, {failures} failed ({ratio * 100:.4g} %)"

    problems = []
    if requests == 0:
        problems.append("FAIL: no request was made (see the log above)")
    if p95 >= P95_MS:
        problems.append(f"FAIL: p95 response time {p95} ms is not under the {P95_MS} ms threshold")
    if ratio >= ERROR_RATIO:
        problems.append(
            f"FAIL: error ratio {ratio * 100:.4g} % ({failures} of {requests} requests failed) "
            f"is not under the {ERROR_RATIO * 100:.1f} % threshold"
        )
    if exceptions:
        problems.append(f"FAIL: the scenario's code raised {exceptions} exceptions (listed above): a bug in load-tests/")
    if problems:
        return Verdict(False, [*problems, f"measured: {figures}"])
    return Verdict(
        True,
        [f"PASS: {figures}; thresholds p95 < {P95_MS} ms, errors < {ERROR_RATIO * 100:.1f} %"],
    )
