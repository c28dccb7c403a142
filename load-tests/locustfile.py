"""Load tests of the platform through its gateway: shoppers doing the mixed day-to-day traffic.

Run through `npm run load` (load-tests/run.mjs), or Locust directly:
    locust -f load-tests/locustfile.py --headless --shape steady -u 20 -r 2 -t 1m --host http://localhost:8080

Each simulated user registers once with its own email and logs in, then picks weighted tasks: browse
the catalog, read a product, search, place an order (with an Idempotency-Key), look at one of its
orders, cancel one, read its notifications. Requests are named by route template
(GET /api/products/:id) so the statistics group them. Before the first user starts, the run seeds
its own catalog as the admin (catalog.py). At the end the run is judged against the users'
thresholds (thresholds.py): the exit code is 1 when one is missed.

Options (also as environment variables) besides Locust's own:
    --shape steady|spike|soak  (LOAD_SHAPE)      how many users when (shapes.py)
    --rate R                   (LOAD_RATE)       about R requests/s in all at --users users, paced
    --order-rate O             (LOAD_ORDER_RATE) the same, given as orders/s (the rest in proportion)
    --spike-factor F, --spike-seconds S           the spike: F x the users for S s (5, 30)
    --products N               (LOAD_PRODUCTS)   products to seed (20)
    LOAD_BASE_URL (default http://localhost:8080; --host wins), ADMIN_EMAIL / ADMIN_PASSWORD,
    LOAD_RUN_ID (default: the start time): the run's SKUs are LOAD-<run id>-NNN
    LOAD_PROGRESS_SECONDS (10): a progress line this often; 0 for none
"""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets
import time
import uuid
from collections import Counter

import gevent
from locust import FastHttpUser, LoadTestShape, between, constant_throughput, events, task
from locust.exception import StopUser
from locust.runners import MasterRunner, WorkerRunner

import catalog as seeding
from shapes import SHAPES
from thresholds import judge

DEFAULT_HOST = os.environ.get("LOAD_BASE_URL", "http://localhost:8080").rstrip("/")
RUN_ID = os.environ.get("LOAD_RUN_ID") or time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)

# how often each task is picked, relatively (mix.json, which run.mjs reads too)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "mix.json"), encoding="utf-8") as _mix:
    WEIGHTS: dict[str, int] = json.load(_mix)["weights"]
ORDER_SHARE = WEIGHTS["place_order"] / sum(WEIGHTS.values())
# think time between two tasks of a user when no rate is set
THINK = (0.5, 2.0)
# a progress line this often (LOAD_PROGRESS_SECONDS; 0: none)
PROGRESS_SECONDS = float(os.environ.get("LOAD_PROGRESS_SECONDS", "10"))

CATALOG = seeding.Catalog()
SEED_ERROR: str | None = None
# orders placed, cancels that worked, cancels answered 409 (already settled), for the summary
OUTCOMES: Counter[str] = Counter()
VERDICT: list[str] = []
_emails = itertools.count(1)


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--shape", choices=sorted(SHAPES), default="steady", env_var="LOAD_SHAPE", help="steady, spike or soak")
    parser.add_argument(
        "--rate", type=float, default=0, env_var="LOAD_RATE", help="about this many requests/s in all at --users users (paced)"
    )
    parser.add_argument("--order-rate", type=float, default=0, env_var="LOAD_ORDER_RATE", help="like --rate, given as orders/s")
    parser.add_argument("--spike-factor", type=int, default=5, env_var="LOAD_SPIKE_FACTOR", help="the spike's users / --users")
    parser.add_argument("--spike-seconds", type=int, default=30, env_var="LOAD_SPIKE_SECONDS", help="how long the spike lasts")
    parser.add_argument("--products", type=int, default=20, env_var="LOAD_PRODUCTS", help="products to seed for the run")


def _option(environment, name, default=None):
    return getattr(environment.parsed_options, name, default) if environment.parsed_options else default


def requests_per_second(environment) -> float:
    """the total pace asked for (0: none, users think between tasks instead)"""
    order_rate = _option(environment, "order_rate", 0) or 0
    return order_rate / ORDER_SHARE if order_rate > 0 else (_option(environment, "rate", 0) or 0)


class LoadShape(LoadTestShape):
    """the shape picked with --shape (shapes.py); reads --users, --spawn-rate and --run-time"""

    use_common_options = True

    def __init__(self):
        super().__init__()
        self.picked = None

    def reset_time(self):
        super().reset_time()
        if self.picked:
            self.picked.start_time = self.start_time

    def tick(self):
        if self.picked is None:
            options = self.runner.environment.parsed_options
            self.picked = SHAPES[options.shape](options)
            self.picked.runner = self.runner
            self.picked.start_time = self.start_time
            print(f"[load] {self.picked.describe()}", flush=True)
        return self.picked.tick()


@events.test_start.add_listener
def _seed(environment, **_):
    global SEED_ERROR
    if isinstance(environment.runner, (MasterRunner, WorkerRunner)):
        # one catalog and one verdict per run: one process, which is enough for hundreds of users
        SEED_ERROR = "this locustfile runs in one Locust process: leave out --processes, --master and --worker"
        print(f"[load] error: {SEED_ERROR}", flush=True)
        gevent.spawn_later(0, environment.runner.quit)
        return
    if PROGRESS_SECONDS > 0:
        gevent.spawn(_progress, environment)
    base = (environment.host or DEFAULT_HOST).rstrip("/")
    rate = requests_per_second(environment)
    users = _option(environment, "num_users", 1) or 1
    pace = f"paced at {rate:.1f} requests/s in all ({rate * ORDER_SHARE:.1f} orders/s) at {users} users" if rate else "think time 0.5-2 s"
    print(f"[load] run {RUN_ID} against {base}; {pace}", flush=True)
    try:
        seeded = seeding.seed(base, RUN_ID, _option(environment, "products", 20))
    except seeding.SeedError as e:
        SEED_ERROR = f"the run's catalog could not be seeded: {e}"
        print(f"[load] error: {SEED_ERROR}", flush=True)
        gevent.spawn_later(0, environment.runner.quit)
        return
    CATALOG.run_id, CATALOG.sku_prefix, CATALOG.product_ids = seeded.run_id, seeded.sku_prefix, seeded.product_ids
    print(f"[load] seeded {len(seeded.product_ids)} products, SKUs {seeded.sku_prefix}NNN", flush=True)
    if environment.shape_class:
        environment.shape_class.reset_time()  # the shape's clock starts once the catalog is there


def _progress(environment):
    """one line every PROGRESS_SECONDS while the run lasts: users, and the last ~10 s's pace"""
    started = time.monotonic()
    while True:
        gevent.sleep(PROGRESS_SECONDS)
        total = environment.stats.total
        p95 = total.get_current_response_time_percentile(0.95) or 0
        print(
            f"[load] {time.monotonic() - started:.0f} s: {environment.runner.user_count} users, "
            f"{total.current_rps:.1f} requests/s, p95 {p95:.0f} ms (last 10 s); "
            f"{total.num_requests} requests, {total.num_failures} failed so far",
            flush=True,
        )


@events.quitting.add_listener
def _judge(environment, **_):
    if SEED_ERROR:
        VERDICT[:] = [f"FAIL: {SEED_ERROR}"]
        environment.process_exit_code = 1
        return
    verdict = judge(environment.stats, len(environment.runner.exceptions))
    total = environment.stats.total
    seconds = max(1.0, (total.last_request_timestamp or 0) - (total.start_time or 0))
    cancels = OUTCOMES["cancelled"] + OUTCOMES["cancel_conflict"]
    orders = (
        f"orders: {OUTCOMES['placed']} placed ({OUTCOMES['placed'] / seconds:.1f}/s); {cancels} cancels: "
        f"{OUTCOMES['cancelled']} cancelled, {OUTCOMES['cancel_conflict']} already settled (409, expected)"
    )
    VERDICT[:] = [orders, *verdict.lines]
    # set either way: Locust alone would exit 1 on any single failed request, below the threshold too
    environment.process_exit_code = 0 if verdict.passed else 1


@events.quit.add_listener
def _print_verdict(**_):
    # after Locust's own tables, so the verdict is the last thing printed
    for line in VERDICT:
        print(f"[load] {line}", flush=True)


class Shopper(FastHttpUser):
    """one shopper: registers and logs in once, then does what a shopper does, with weights"""

    host = DEFAULT_HOST
    network_timeout = 10.0
    connection_timeout = 5.0

    def __init__(self, environment):
        super().__init__(environment)
        rate = requests_per_second(environment)
        users = _option(environment, "num_users", 1) or 1
        # --rate is for the whole run at --users users: each user takes its share
        self._pace = constant_throughput(rate / users) if rate > 0 else between(*THINK)
        self.email = f"load-{RUN_ID}-{next(_emails)}-{secrets.token_hex(3)}@example.com".lower()
        self.password = f"load-{uuid.uuid4()}"
        self.registered = False
        self.register_attempts = 0
        self.token: str | None = None
        self.token_until = 0.0
        self.orders: list[str] = []

    def wait_time(self):
        return self._pace(self)

    # --- requests ---------------------------------------------------------------------------------

    def call(self, method: str, path: str, name: str, expect: tuple[int, ...], auth: bool = False, **kwargs):
        """one request, named by its route template; a status in `expect` is a success (a 409 can be
        the expected answer), anything else (a 5xx, a 429, a timeout, ...) a failure. returns the
        response on success, else None"""
        headers = dict(kwargs.pop("headers", {}))
        if auth:
            headers["authorization"] = f"Bearer {self.token}"
        with self.client.request(method, path, name=name, headers=headers, catch_response=True, **kwargs) as res:
            if res.status_code in expect:
                res.success()
                return res
            if res.status_code == 401 and auth:
                self.token = None  # log in again before the next task that needs it
            res.failure(_why(res))
            return None

    def sign_in(self) -> bool:
        """registered and logged in, with a token that is not about to expire"""
        if self.token and time.monotonic() < self.token_until:
            return True
        if not self.registered:
            # a retry after a lost answer may find the account made: 409 is then the expected answer
            expect = (201, 409) if self.register_attempts else (201,)
            self.register_attempts += 1
            body = {"email": self.email, "password": self.password, "name": "Load Shopper"}
            if self.call("POST", "/api/users", "POST /api/users", expect, json=body) is None:
                return False
            self.registered = True
        res = self.call("POST", "/api/auth/login", "POST /api/auth/login", (200,), json={"email": self.email, "password": self.password})
        if res is None:
            return False
        answer = res.json()
        self.token = answer["accessToken"]
        self.token_until = time.monotonic() + int(answer.get("expiresIn", 900)) - 60
        return True

    def on_start(self):
        if not CATALOG.product_ids:
            raise StopUser()  # the seeding failed; the run is stopping
        self.sign_in()

    # --- the tasks --------------------------------------------------------------------------------

    @task(WEIGHTS["browse"])
    def browse(self):
        if random.random() < 0.5:
            path = f"/api/products?page={random.randint(1, 3)}&limit=20"
        else:
            path = f"/api/products?category={random.choice(seeding.CATEGORIES)}&limit=20"
        self.call("GET", path, "GET /api/products", (200,))

    @task(WEIGHTS["read_product"])
    def read_product(self):
        self.call("GET", f"/api/products/{CATALOG.random_id()}", "GET /api/products/:id", (200,))

    @task(WEIGHTS["search"])
    def search(self):
        q = random.choice(seeding.SEARCH_WORDS).replace(" ", "%20")
        self.call("GET", f"/api/products/search?q={q}", "GET /api/products/search", (200,))

    @task(WEIGHTS["place_order"])
    def place_order(self):
        if not self.sign_in():
            return
        picked = random.sample(CATALOG.product_ids, k=min(len(CATALOG.product_ids), random.randint(1, 2)))
        items = [{"productId": pid, "quantity": random.randint(1, 3)} for pid in picked]
        headers = {"idempotency-key": str(uuid.uuid4())}
        res = self.call("POST", "/api/orders", "POST /api/orders", (202,), auth=True, json={"items": items}, headers=headers)
        if res is not None:
            OUTCOMES["placed"] += 1
            self.orders.append(res.json()["id"])
            del self.orders[:-20]  # the latest 20 are enough to pick from

    @task(WEIGHTS["read_order"])
    def read_order(self):
        if not self.orders or not self.sign_in():
            return self.browse()
        self.call("GET", f"/api/orders/{random.choice(self.orders)}", "GET /api/orders/:id", (200,), auth=True)

    @task(WEIGHTS["cancel_order"])
    def cancel_order(self):
        if not self.orders or not self.sign_in():
            return self.browse()
        order_id = self.orders.pop(random.randrange(len(self.orders)))
        # 409: the saga rejected the order meanwhile (or it was cancelled already): a valid answer
        res = self.call("POST", f"/api/orders/{order_id}/cancel", "POST /api/orders/:id/cancel", (200, 409), auth=True)
        if res is not None:
            OUTCOMES["cancelled" if res.status_code == 200 else "cancel_conflict"] += 1

    @task(WEIGHTS["notifications"])
    def notifications(self):
        if not self.sign_in():
            return
        self.call("GET", "/api/notifications?limit=20", "GET /api/notifications", (200,), auth=True)


def _why(res) -> str:
    """a failure's reason, worded so that Locust groups failures of one kind together"""
    if not res.status_code:
        return f"no answer: {type(res.error).__name__ if res.error else 'connection failed'}"
    title = ""
    try:
        body = res.json()
        title = body.get("title", "") if isinstance(body, dict) else ""
    except Exception:  # noqa: BLE001 - not json: the status says enough
        pass
    return f"HTTP {res.status_code}{f' {title}' if title else ''}"
