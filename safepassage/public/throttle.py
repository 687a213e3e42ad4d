"""Site-wide limits per hour. Over Tor every visitor arrives from the same address, so limits are
global: they protect the server and the staff from a flood, not one visitor from another."""

import time

from django.core.cache import cache


def _key(name: str) -> str:
    return f"throttle:{name}:{int(time.time() // 3600)}"


def exceeded(name: str, limit: int) -> bool:
    return (cache.get(_key(name)) or 0) >= limit


def count(name: str) -> None:
    key = _key(name)
    if cache.add(key, 1, timeout=3700):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3700)
