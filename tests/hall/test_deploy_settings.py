import os
import secrets
import subprocess
import sys

from django.conf import settings

# What a real deployment sets: its services, a proper key, its host; nothing about TLS, whose defaults must hold.
DEPLOYMENT = {
    "DATABASE_URL": "postgres://hall@db.example.cn:5432/servicehall",
    "REDIS_URL": "redis://cache.example.cn:6379/0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "hall.example.cn",
    "CSRF_TRUSTED_ORIGINS": "https://hall.example.cn",
}


def deploy_check(**environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "hall.settings.production", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_settings_pass_the_deployment_checks_without_a_warning():
    result = deploy_check(**DEPLOYMENT)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_turning_tls_off_by_the_environment_is_warned_about():
    result = deploy_check(**DEPLOYMENT, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr
