"""Background jobs: long tasks run by RQ when REDIS_URL is set, inline otherwise."""
