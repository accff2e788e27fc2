"""How big an auditor's sample is, and which tickets it holds.

Size (docs/connectors-evidence.md): the zero-deviation attribute-sampling rule n = ln(1 − C) / ln(1 − p)
with confidence C = 95 % and tolerable deviation rate p = 10 %, which gives 29 for a large
population, reduced for a small one by the finite-population correction n / (1 + (n − 1) / N), and
never more than the population. If no sampled ticket fails, one can say with 95 % confidence that
fewer than 10 % of the month's tickets fail.

Draw: Python's random.Random(seed).sample over the population's tickets in a fixed order
(connector, external id); the seed is recorded, so anyone can draw the same sample again."""

from __future__ import annotations

import math
import secrets
from fractions import Fraction

CONFIDENCE = 0.95
TOLERABLE_RATE = 0.10
RULE = "zero-deviation attribute sampling, 95% confidence, 10% tolerable rate, finite-population corrected"


def large_population_size(confidence: float = CONFIDENCE, tolerable: float = TOLERABLE_RATE) -> int:
    return math.ceil(math.log(1 - confidence) / math.log(1 - tolerable))


def sample_size(population: int) -> int:
    """29 for a large month, fewer for a small one, all of a tiny one, none of an empty one."""
    if population <= 0:
        return 0
    n = large_population_size()
    corrected = math.ceil(Fraction(n * population, population + n - 1))  # exact: no float rounding
    return min(population, corrected)


def new_seed() -> int:
    return secrets.randbelow(2**62)


def draw(keys: list, *, seed: int, size: int) -> list:
    """`size` of `keys` (already in their fixed order), the same ones for the same seed."""
    import random

    return random.Random(seed).sample(list(keys), min(size, len(keys)))
