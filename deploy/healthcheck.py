"""Container health check: GET /healthz on this container's gunicorn, exit 0 when it is 200.

Sends the public host name (first of ALLOWED_HOSTS), so the host check does not answer
instead of the view, and, for an https BASE_URL, the X-Forwarded-Proto header the proxy
would send (/healthz is exempt from the SSL redirect anyway). Standard library only.
"""

import http.client
import os
import sys

host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip()
headers = {"Host": host}
if os.environ.get("BASE_URL", "").startswith("https://"):
    headers["X-Forwarded-Proto"] = "https"
port = int(os.environ.get("HEALTHCHECK_PORT", "8000"))
try:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/healthz", headers=headers)
    status = connection.getresponse().status
except OSError as error:
    print(f"healthz: {error}", file=sys.stderr)
    sys.exit(1)
sys.exit(0 if status == 200 else 1)
