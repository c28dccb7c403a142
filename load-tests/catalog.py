"""The run's own catalog, seeded through the gateway as the admin before any user starts.

Every run creates fresh products whose SKUs start with LOAD-<run id>-, with stock far beyond what a
run can buy, so an order is rejected only if the saga itself misbehaves (a rejected order is still a
valid outcome, never a failure). These requests go around Locust's statistics: they are set-up, not load.
"""

from __future__ import annotations

import logging
import os
import random
import time
from dataclasses import dataclass, field

import requests

log = logging.getLogger("load.catalog")

ADMIN_EMAIL = os.environ.get("ADMIN_EMAIL", "admin@example.com")
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "admin-password-local")

# stock per product: 10 million units outlast any run (an order takes at most 3 x 3 units)
STOCK = 10_000_000

# what a shopper may look for; each product's name and tags use these words, so searches find them
KINDS = [
    ("tea", "Sencha green tea", "Steamed Japanese green tea, grassy and bright", ["green", "japan"]),
    ("tea", "Assam black tea", "Malty breakfast tea from India", ["black", "india"]),
    ("tea", "Oolong tea", "Half-oxidised tea from Taiwan, floral", ["oolong", "taiwan"]),
    ("tea", "Rooibos", "Caffeine-free red bush from South Africa", ["herbal", "red"]),
    ("teaware", "Kyusu teapot", "Side-handle clay teapot for green tea", ["teapot", "clay"]),
    ("teaware", "Porcelain tea cup", "Thin white cup", ["cup", "porcelain"]),
    ("coffee", "Ethiopian coffee beans", "Light roast, fruity", ["beans", "ethiopia"]),
    ("coffee", "Espresso blend", "Dark roast for espresso", ["beans", "espresso"]),
    ("kitchen", "Gooseneck kettle", "Electric kettle with temperature control", ["kettle"]),
    ("kitchen", "Bamboo whisk", "Whisk for matcha", ["matcha", "whisk"]),
]

# the words the search task looks for
SEARCH_WORDS = ["green tea", "black tea", "oolong", "teapot", "cup", "coffee beans", "espresso", "kettle", "matcha", "herbal"]
CATEGORIES = sorted({k[0] for k in KINDS})


class SeedError(Exception):
    """the catalog could not be seeded; the message says why and what to check"""


@dataclass
class Catalog:
    run_id: str = ""
    sku_prefix: str = ""
    product_ids: list[str] = field(default_factory=list)

    def random_id(self) -> str:
        return random.choice(self.product_ids)


def _call(session: requests.Session, method: str, url: str, **kwargs) -> requests.Response:
    """one request; a 429 waits for its Retry-After (a few times), as a polite client would"""
    for _ in range(5):
        res = session.request(method, url, timeout=15, **kwargs)
        if res.status_code != 429:
            return res
        time.sleep(float(res.headers.get("retry-after", "1") or 1))
    return res


def _problem(res: requests.Response) -> str:
    try:
        body = res.json()
        return f"HTTP {res.status_code}: {body.get('detail') or body.get('title') or body}"
    except ValueError:
        return f"HTTP {res.status_code}: {res.text[:200]}"


def seed(base_url: str, run_id: str, count: int) -> Catalog:
    """logs in as the admin and creates `count` products; raises SeedError with what to fix"""
    base = base_url.rstrip("/")
    session = requests.Session()
    try:
        login = _call(session, "POST", f"{base}/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    except requests.RequestException as e:
        raise SeedError(f"cannot reach {base}: {e}") from e
    if login.status_code != 200:
        raise SeedError(
            f"the admin login as {ADMIN_EMAIL} failed ({_problem(login)}): set ADMIN_EMAIL and ADMIN_PASSWORD "
            "to the admin of the platform under test"
        )
    headers = {"authorization": f"Bearer {login.json()['accessToken']}"}

    catalog = Catalog(run_id=run_id, sku_prefix=f"LOAD-{run_id}-")
    for n in range(count):
        category, name, description, tags = KINDS[n % len(KINDS)]
        product = {
            "sku": f"{catalog.sku_prefix}{n + 1:03d}",
            "name": f"{name} no. {n // len(KINDS) + 1}",
            "description": description,
            "price": {"amount": random.randint(300, 6000), "currency": "EUR"},
            "stock": STOCK,
            "category": category,
            "tags": [*tags, "load-test"],
        }
        res = _call(session, "POST", f"{base}/api/products", json=product, headers=headers)
        if res.status_code != 201:
            raise SeedError(f"creating product {product['sku']} failed ({_problem(res)})")
        catalog.product_ids.append(res.json()["id"])
    log.info("seeded %d products with SKUs %s001..%03d at %s", count, catalog.sku_prefix, count, base)
    return catalog
