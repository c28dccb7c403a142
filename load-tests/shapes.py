"""How many simulated users run when: steady, spike and soak, as Locust load shapes.

The locustfile exposes one shape, which delegates to the one picked with --shape (LOAD_SHAPE). Each reads
the common options: --users is the steady (or baseline) count, --spawn-rate how fast they start, and
--run-time how long a steady or soak run lasts.
"""

from __future__ import annotations

import math

from locust import LoadTestShape


def _spawn_rate(options, users: int) -> float:
    """--spawn-rate (headless Locust makes it 1 when not given; run.mjs passes users / 10)"""
    return float(options.spawn_rate or max(1, math.ceil(users / 10)))


class SteadyShape(LoadTestShape):
    """--users users for --run-time (default 60 s), then stop"""

    abstract = True  # only ever run through the locustfile's LoadShape
    default_seconds = 60

    def __init__(self, options):
        super().__init__()
        self.users = int(options.num_users or 20)
        self.rate = _spawn_rate(options, self.users)
        self.seconds = int(options.run_time or self.default_seconds)

    def tick(self):
        if self.get_run_time() >= self.seconds:
            return None
        return self.users, self.rate

    def describe(self) -> str:
        return f"steady: {self.users} users for {self.seconds} s"


class SoakShape(SteadyShape):
    """steady load held for a long time (default 10 minutes): leaks, slow growth, expiring tokens"""

    abstract = True
    default_seconds = 600

    def describe(self) -> str:
        return f"soak: {self.users} users for {self.seconds // 60} min {self.seconds % 60} s"


class SpikeShape(LoadTestShape):
    """--users (the baseline) for a while, then --spike-factor times as many for --spike-seconds,
    started within about two seconds, then back to the baseline for as long again, then stop"""

    abstract = True

    def __init__(self, options):
        super().__init__()
        self.base = int(options.num_users or 10)
        self.peak = self.base * int(options.spike_factor)
        self.seconds = int(options.spike_seconds)
        self.rate = _spawn_rate(options, self.base)
        # the jump is sudden: every extra user within ~2 s (and gone as fast)
        self.jump_rate = float(max(1, math.ceil((self.peak - self.base) / 2)))

    def tick(self):
        t = self.get_run_time()
        if t < self.seconds:
            return self.base, self.rate
        if t < 2 * self.seconds:
            return self.peak, self.jump_rate
        if t < 3 * self.seconds:
            return self.base, self.jump_rate
        return None

    def describe(self) -> str:
        s = self.seconds
        return f"spike: {self.base} users for {s} s, {self.peak} for {s} s, {self.base} again for {s} s"


SHAPES = {"steady": SteadyShape, "spike": SpikeShape, "soak": SoakShape}
