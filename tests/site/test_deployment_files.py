"""compose.yaml, the Dockerfile and deploy/ refer only to things that exist.

Docker cannot run here, so these read the files: services and their dependencies,
environment variables (each one read by the settings, gunicorn.conf.py or the scheduler),
every `manage.py` command (a registered command), the scheduled jobs (the same in
deploy/crontab, deploy/scheduler.sh and the README), paths and ports.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = {name: s for name, s in SERVICES.items() if s.get("build")}
DOCKERFILE = (ROOT / "Dockerfile").read_text()
CRONTAB = (ROOT / "deploy" / "crontab").read_text()
SCHEDULER = (ROOT / "deploy" / "scheduler.sh").read_text()
NGINX = (ROOT / "deploy" / "nginx" / "mrnavet.conf").read_text()

ENV_READ = re.compile(r'env\.\w+\(\s*"([A-Z0-9_]+)"')
SETTINGS_VARIABLES = set(ENV_READ.findall((ROOT / "site/mrnavet/settings.py").read_text()))
GUNICORN_VARIABLES = set(ENV_READ.findall((ROOT / "gunicorn.conf.py").read_text()))
SCHEDULER_VARIABLES = set(re.findall(r"\$\{([A-Z0-9_]+):-", SCHEDULER))
HEALTHCHECK_VARIABLES = set(
    re.findall(r'environ\.get\("([A-Z0-9_]+)"', (ROOT / "deploy/healthcheck.py").read_text())
)
KNOWN_VARIABLES = (
    SETTINGS_VARIABLES | GUNICORN_VARIABLES | SCHEDULER_VARIABLES | HEALTHCHECK_VARIABLES
)


def manage_commands(text: str) -> list[str]:
    return re.findall(r"manage\.py\s+([a-z_]+)", text)


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def scheduler_jobs(array: str) -> list[str]:
    return re.search(rf"^{array}=\(([^)]*)\)", SCHEDULER, re.M).group(1).split()


def readme_scheduled_jobs() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Scheduled jobs", 1)[1].split("\n## ", 1)[0]
    return set(manage_commands(section))


def test_the_stack_has_every_service():
    assert {"app", "worker", "cron", "migrate", "postgres", "redis", "elasticsearch",
            "mailpit"} <= set(SERVICES)
    assert SERVICES["nginx"]["profiles"] == ["proxy"]  # optional
    assert {"app", "worker", "cron", "migrate"} <= set(APP_SERVICES)


def test_dependencies_and_volumes_exist():
    declared_volumes = set(COMPOSE["volumes"])
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in SERVICES, (name, dependency)
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                if source != "./backups":  # created by the first backup
                    assert (ROOT / source).exists() or source == "./deploy/certs", source
            else:
                assert source in declared_volumes, (name, source)
    for name in ("app", "worker", "cron"):
        assert APP_SERVICES[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


@pytest.mark.parametrize("service", sorted(APP_SERVICES))
def test_app_environment_is_read_by_the_code(service):
    unknown = set(APP_SERVICES[service]["environment"]) - KNOWN_VARIABLES
    assert not unknown, f"{service} sets variables nothing reads: {sorted(unknown)}"


def test_production_services_are_configured():
    env = APP_SERVICES["app"]["environment"]
    assert env["DEBUG"] == "false"
    assert env["TASKS_BACKEND"] == "database"  # the worker runs them
    assert env["LOG_FORMAT"] == "json"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379")
    assert "@elasticsearch:9200" in env["ELASTICSEARCH_URL"]
    assert "mailpit:1025" in env["EMAIL_URL"]
    # Secrets must be given: compose stops with a message when they are not.
    for secret in ("SECRET_KEY", "POSTGRES_PASSWORD", "ELASTIC_PASSWORD"):
        assert re.search(rf"\${{{secret}:\?", (ROOT / "compose.yaml").read_text()), secret
    elastic = SERVICES["elasticsearch"]["environment"]
    assert elastic["xpack.security.enabled"] == "true"
    version = re.search(r":(\d+)\.(\d+)", SERVICES["elasticsearch"]["image"]).groups()
    assert (8, 10) <= tuple(map(int, version)) < (9, 0)  # synonyms API; client 8.x


def test_every_manage_py_command_exists():
    commands = get_commands()
    used = manage_commands(" ".join(command_text(s) for s in SERVICES.values()))
    used += manage_commands(CRONTAB) + manage_commands(DOCKERFILE)
    used += scheduler_jobs("EVERY_5_MINUTES") + scheduler_jobs("DAILY")
    assert {"migrate", "db_worker", "collectstatic", "search_rebuild"} <= set(used)
    missing = sorted(set(used) - set(commands))
    assert not missing, f"unknown manage.py commands: {missing}"


def test_scheduled_jobs_agree_everywhere():
    crontab = {line.split()[5:][2]: line.split()[0] for line in CRONTAB.splitlines()
               if line.strip() and not line.startswith("#")}
    frequent = {job for job, minute in crontab.items() if minute.startswith("*/")}
    assert frequent == set(scheduler_jobs("EVERY_5_MINUTES"))
    assert set(crontab) - frequent == set(scheduler_jobs("DAILY"))
    assert set(crontab) == readme_scheduled_jobs()
    assert os.access(ROOT / "deploy" / "scheduler.sh", os.X_OK)
    assert APP_SERVICES["cron"]["command"] == ["deploy/scheduler.sh"]


def test_commands_refer_to_files_that_exist():
    assert APP_SERVICES["app"]["command"] == ["gunicorn", "-c", "gunicorn.conf.py"]
    assert (ROOT / "gunicorn.conf.py").is_file()
    healthcheck = APP_SERVICES["app"]["healthcheck"]["test"]
    assert healthcheck[:2] == ["CMD", "python"] and (ROOT / healthcheck[2]).is_file()
    nginx_config = SERVICES["nginx"]["volumes"][0].split(":")[0]
    assert (ROOT / nginx_config).is_file()


def test_dockerfile_is_consistent_with_compose_and_the_project():
    assert re.search(r"^FROM python:3\.11", DOCKERFILE, re.M)  # requires-python >=3.11
    for sources in re.findall(r"^COPY (.+) \S+$", DOCKERFILE, re.M):
        for source in sources.split():
            assert (ROOT / source).exists(), source
    workdir = re.search(r"^WORKDIR (\S+)", DOCKERFILE, re.M).group(1)
    cmd = re.search(r"^CMD (.+)$", DOCKERFILE, re.M).group(1)
    assert yaml.safe_load(cmd) == APP_SERVICES["app"]["command"]
    media_root = re.search(r"MEDIA_ROOT=(\S+)", DOCKERFILE).group(1)
    assert media_root.startswith(workdir)
    assert APP_SERVICES["app"]["environment"]["MEDIA_ROOT"] == media_root
    assert f"media:{media_root}" in APP_SERVICES["app"]["volumes"]
    assert "EXPOSE 8000" in DOCKERFILE
    assert APP_SERVICES["app"]["ports"][0].endswith(":8000")
    # Secrets and local state stay out of the image.
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", ".git", "deploy/compose.env"} <= set(ignored)
    # The placeholder key only serves collectstatic; it is never in the runtime environment.
    [run] = [line for line in DOCKERFILE.splitlines() if "collectstatic" in line]
    assert "SECRET_KEY=" in run and not re.search(r"^ENV .*SECRET_KEY", DOCKERFILE, re.M)


def test_nginx_forwards_to_the_app_with_request_ids():
    assert "server app:8000;" in NGINX
    assert "proxy_set_header X-Request-ID $request_id;" in NGINX
    assert "proxy_set_header X-Forwarded-Proto https;" in NGINX
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in NGINX  # overwritten


def test_scheduler_script_is_valid_bash():
    import subprocess

    result = subprocess.run(["bash", "-n", str(ROOT / "deploy" / "scheduler.sh")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert shlex.split(CRONTAB.splitlines()[-1])[5:7] == ["python", "manage.py"]
