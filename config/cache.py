"""The Redis cache backend: django-redis, failing open for allauth's rate-limit lock too."""

from __future__ import annotations

from typing import Any

from django_redis.cache import RedisCache


class FailOpenRedisCache(RedisCache):
    """django-redis with IGNORE_EXCEPTIONS, where `add` to an unreachable Redis answers True.

    allauth takes a lock with cache.add() before counting an attempt and, when the lock is not
    granted within a second, treats the attempt as over the limit. With Redis down django-redis
    answers None (not False: that means "the key exists"), so every login would be refused.
    A cache that cannot count lets members in, as the member limits do (RATELIMIT_FAIL_OPEN).
    """

    def add(self, *args: Any, **kwargs: Any) -> bool:
        added = super().add(*args, **kwargs)
        return True if added is None else bool(added)
