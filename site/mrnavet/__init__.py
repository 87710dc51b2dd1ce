"""Project configuration for MR-navet: settings, URLs, WSGI/ASGI and site-wide views."""
