"""Caching what is expensive to render and rarely changes, keyed by what it shows.

A key is either a fingerprint of the data a fragment is drawn from (charts: a save that changes a
bar changes the key, so a cached picture is never stale) or the identity of immutable rows (a
checklist template's clause tree: an import adds a new template, it never edits one). Django's
cache backend comes from settings (Redis when configured, per-process memory otherwise).
"""

import hashlib

from django.core.cache import cache


def fingerprint(*parts) -> str:
    """A short stable digest of `parts` (their repr: dataclasses, dicts, dates, numbers)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def cached(key: str, compute, timeout=None):
    """The value cached under `key`, computed (and stored) on a miss."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
