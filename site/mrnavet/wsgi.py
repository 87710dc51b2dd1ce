"""WSGI entry point (gunicorn mrnavet.wsgi, run with site/ on the path; see README)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mrnavet.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
