"""gunicorn logger class that writes the access log and gunicorn's own log as JSON lines.

gunicorn's `access_log_format` is a %-template: values are not escaped, so a quote in a
URL would break a JSON template. This class builds each line with `json.dumps` instead.
The query string and the referrer are left out (search words, tokens); the request id is
read from the response header set by `mrnavet.request_logging.RequestIDMiddleware`.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from gunicorn.glogging import Logger

from mrnavet.request_logging import JsonFormatter


class JsonAccessLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            record = self.access_record(resp, req, environ, request_time)
            self.access_log.info("%s", json.dumps(record, ensure_ascii=False))
        except Exception:  # a log line must never break a response
            self.exception("Could not write the access log line")

    @staticmethod
    def access_record(resp, req, environ, request_time) -> dict:
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        response_headers = dict((name.lower(), value) for name, value in resp.headers)
        return {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "request_id": response_headers.get("x-request-id", "-"),
            "remote_addr": environ.get("REMOTE_ADDR", "-"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "protocol": environ.get("SERVER_PROTOCOL"),
            "status": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 3),
        }
