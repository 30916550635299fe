import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.utils import OperationalError

SRC = Path(__file__).resolve().parents[3]


def test_healthz_is_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_does_not_answer(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def environment_with(**env) -> dict:
    """This process's environment without its secrets, debug and test-only flags, plus ``env``: for a fresh
    interpreter (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process)."""
    unwanted = {"DEBUG", "SECRET_KEY", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unwanted}
    environment.update(env)
    environment["PYTHONPATH"] = str(SRC)
    return environment


def _import_settings(**env):
    return subprocess.run(
        [sys.executable, "-c", "import sportello.settings"],
        env=environment_with(**env),
        capture_output=True,
        text=True,
    )


GOOD_PRODUCTION = {
    "SPORTELLO_ENV": "production",
    "SECRET_KEY": "pVq3-r8Zt!f2Lw9#kH4mXy7&bN1sD6eJ0aQcU5gT-3nWv8Ye2Rk",
    "ALLOWED_HOSTS": "servizi.example.org",
    "EMAIL_URL": "smtp://mail.example.org:587",
    "SPORTELLO_SANDBOX_PROVIDERS": "",
    "DEBUG": "false",
    "SPID_SP_IPA_CODE": "c_f728",
    "SPID_SP_CONTACT_EMAIL": "spid@example.org",
    "TRUSTED_PROXIES": "10.0.0.5",
}


def test_production_starts_with_a_proper_configuration():
    result = _import_settings(**GOOD_PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "override, reason",
    [
        ({"DEBUG": "true"}, "DEBUG is on"),
        ({"SECRET_KEY": "sportello-insecure-development-key-never-use-in-production"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "SECRET_KEY"),
        ({"SPORTELLO_SANDBOX_PROVIDERS": "demo_idp"}, "sandbox providers are enabled (demo_idp)"),
        ({"SPORTELLO_SANDBOX_PROVIDERS": "pitre_sandbox"}, "sandbox providers are enabled (pitre_sandbox)"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"EMAIL_URL": ""}, "EMAIL_URL"),
        ({"TRUSTED_PROXIES": ""}, "behind a reverse proxy (SECURE_PROXY_SSL_HEADER) TRUSTED_PROXIES must"),
    ],
)
def test_production_refuses_to_start_when_unsafe(override, reason):
    env = {**GOOD_PRODUCTION, **override}
    if env.get("EMAIL_URL") == "":
        del env["EMAIL_URL"]
    result = _import_settings(**env)
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert reason in result.stderr


def test_production_has_no_sandbox_providers_by_default():
    env = {k: v for k, v in GOOD_PRODUCTION.items() if k != "SPORTELLO_SANDBOX_PROVIDERS"}
    assert _import_settings(**env).returncode == 0


def test_production_without_a_proxy_does_not_trust_forwarded_headers():
    script = "import django; django.setup(); from django.conf import settings; "
    script += "print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    env = {**GOOD_PRODUCTION, "TRUSTED_PROXIES": "", "SPORTELLO_BEHIND_PROXY": "false"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment_with(**env, DJANGO_SETTINGS_MODULE="sportello.settings"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


def test_pages_render_with_the_production_static_storage(client, mori, settings, tmp_path):
    """Production and the demo serve fingerprinted files from a manifest: every {% static %} must be in it."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)  # (settings changes reset the storage)
    for url in ("/comune-di-mori/it/", "/comune-di-mori/it/servizi/", "/comune-di-mori/it/operatori/login"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "/static/sportello/bootstrap-italia.purged." in response.content.decode()


def _var_dir(env: str) -> Path:
    environment = {k: v for k, v in os.environ.items() if k not in {"SPORTELLO_VAR_DIR", "DATABASE_URL"}}
    environment.update(SPORTELLO_ENV=env, PYTHONPATH=str(SRC))
    result = subprocess.run(
        [sys.executable, "-c", "from sportello import settings; print(settings.VAR_DIR)"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def test_the_suite_and_the_demo_never_share_state_in_var():
    demo, suite = _var_dir("demo"), _var_dir("test")
    assert demo != suite
    assert not demo.is_relative_to(suite)
    # what the demo leaves in var/ (SQLite, SAML keys, media, mail) is outside the suite's folder, and back
    for name in ("sportello.sqlite3", "saml", "media", "mail"):
        assert not (demo / name).is_relative_to(suite)
        assert (suite / name) != (demo / name)
