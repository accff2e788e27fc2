"""Django's Redis cache, keeping its Redis client objects instead of building one per call.

Django's RedisCacheClient builds a new `redis.Redis` for every cache operation (on the same
connection pool). Building one copies redis-py's table of response callbacks, several hundred
entries: on an answer save, which reads the session, checks the webhook subscriptions and bumps
the page-cache generations, that was about 7% of the worker's time. A client is safe to share
between threads (its connections come from the pool), so one per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
