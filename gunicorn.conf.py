"""gunicorn settings for MR-navet, read from the environment.

gunicorn loads ./gunicorn.conf.py by itself, so from the repository root
`gunicorn mrnavet.wsgi` is enough (or `gunicorn -c gunicorn.conf.py` from elsewhere).
Every value can be overridden by an environment variable (docs/deployment.md); a malformed
one stops start-up with an error naming the variable.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# `site` is a frozen standard-library module: the folder itself goes on the path (README).
for _path in (str(ROOT), str(ROOT / "site")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from mrnavet.envconfig import StrictEnv  # noqa: E402

env = StrictEnv()

wsgi_app = "mrnavet.wsgi:application"
chdir = str(ROOT)
pythonpath = "site,."

bind = env.list("GUNICORN_BIND", default=["0.0.0.0:8000"])
# Sync workers: 2 × CPUs + 1 is gunicorn's rule of thumb for I/O-bound Django views.
workers = env.int("GUNICORN_WORKERS", default=2 * multiprocessing.cpu_count() + 1, minimum=1)
threads = env.int("GUNICORN_THREADS", default=1, minimum=1)
timeout = env.int("GUNICORN_TIMEOUT", default=30, minimum=1)
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", default=30, minimum=1)
keepalive = env.int("GUNICORN_KEEPALIVE", default=5, minimum=0)
# Recycle workers now and then (slow leaks); the jitter keeps them from restarting together.
max_requests = env.int("GUNICORN_MAX_REQUESTS", default=1000, minimum=0)
max_requests_jitter = env.int("GUNICORN_MAX_REQUESTS_JITTER", default=100, minimum=0)
# Only these addresses may set X-Forwarded-Proto/-For (the reverse proxy's).
forwarded_allow_ips = ",".join(env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"]))
# Heartbeat files in memory, not on a container's overlay disk.
_SHM = "/dev/shm"  # nosec B108 # gunicorn mkstemp()s its heartbeat files there and unlinks them
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None

# Logs go to the container's output: access log to stdout, gunicorn's own to stderr.
accesslog = "-"
errorlog = "-"
loglevel = env.str("GUNICORN_LOG_LEVEL", default="info").lower()
_log_format = env.str("LOG_FORMAT", default="text" if env.bool("DEBUG") else "json")
if _log_format == "json":
    logger_class = "mrnavet.gunicorn_logging.JsonAccessLogger"
else:
    access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms id=%({x-request-id}o)s'
