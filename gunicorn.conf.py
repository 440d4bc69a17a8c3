"""gunicorn settings for KaushalSetu; every value can be overridden from the environment.

The embedding model is loaded lazily once per worker process (never per request); threads share it.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
# Request lines carry no personal data (ids only), so the access log is safe to keep.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
