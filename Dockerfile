# MR-navet application image: gunicorn (app), `manage.py db_worker` (worker) and the
# scheduler loop (cron) all run from this one image; compose.yaml picks the command.
# Build: docker compose build   (or: docker build -t mrnavet .)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=mrnavet.settings \
    TZ=Europe/Stockholm \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/media \
    STATIC_ROOT=/app/staticfiles

# tzdata for the scheduler's local time; nothing else is needed at run time
# (psycopg[binary] brings its own libpq).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /home/mrnavet mrnavet

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. The project installs
# no package of its own (pyproject.toml: packages = []); it runs from /app.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# Static files with hashed, compressed names (whitenoise serves them). The key is a
# build-time placeholder: settings refuse to start without one; it signs nothing.
RUN DEBUG=false SECRET_KEY=collectstatic-build-only python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R mrnavet:mrnavet /app/var

USER mrnavet
EXPOSE 8000
VOLUME ["/app/var/media"]

# Reads gunicorn.conf.py from /app: bind 0.0.0.0:8000, GUNICORN_WORKERS, JSON logs.
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
