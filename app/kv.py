"""The key-value store (Redis): revoked tokens, reset and one-time codes.

Everything here has a TTL, so a restart loses nothing that matters and the
store never grows without bound.
"""
import redis


class KeyValueStore:
    def __init__(self):
        self.client = None

    def init_app(self, app):
        self.client = redis.Redis.from_url(app.config["REDIS_URL"], decode_responses=True)
        app.extensions["kv"] = self

    def put(self, key, value, ttl_seconds):
        self.client.set(key, value, ex=max(1, int(ttl_seconds)))

    def get(self, key):
        return self.client.get(key)

    def pop(self, key):
        """Read and delete in one step, so a single-use value is used once."""
        return self.client.getdel(key)

    def delete_prefix(self, prefix):
        count = 0
        for key in self.client.scan_iter(match=f"{prefix}*", count=1000):
            count += self.client.delete(key)
        return count


kv = KeyValueStore()
