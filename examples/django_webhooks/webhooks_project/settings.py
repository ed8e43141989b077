"""Settings: no database, no sessions, no admin; one app (`receiver`).

Configured from the environment: HOOX_API_KEY / HOOX_BASE_URL and HOOKED_API_KEY /
HOOKED_BASE_URL (read by reelkit's clients), WEBHOOK_DB (the SQLite file of received
events; default in the temp directory), WEBHOOK_FAIL_FIRST (fail the first N
deliveries after recording them, to demonstrate redelivery), DJANGO_SECRET_KEY,
DJANGO_DEBUG, DJANGO_ALLOWED_HOSTS (comma-separated).
"""

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Nothing here signs cookies or sessions; a real deployment still sets its own key.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-webhook-example-key")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"] + [
    host for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if host
]

INSTALLED_APPS = ["receiver"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "webhooks_project.urls"
WSGI_APPLICATION = "webhooks_project.wsgi.application"
# Events are kept by receiver/store.py in its own SQLite file, not through the ORM:
# no migrations to run for a two-table log.
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True

WEBHOOK_DB = os.environ.get(
    "WEBHOOK_DB", str(Path(tempfile.gettempdir()) / "reelkit_django_webhooks.sqlite3")
)
WEBHOOK_FAIL_FIRST = int(os.environ.get("WEBHOOK_FAIL_FIRST", "0"))
