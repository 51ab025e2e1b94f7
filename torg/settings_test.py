"""Settings for the test suite: SQLite by default, PostgreSQL with TORG_TEST_POSTGRES=1; Huey in immediate mode."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("TORG_VAR_DIR", tempfile.mkdtemp(prefix="torg-test-"))
os.environ["TORG_HUEY_IMMEDIATE"] = "1"
os.environ.pop("TORG_REDIS_URL", None)
if os.environ.get("TORG_TEST_POSTGRES") == "1":
    os.environ["TORG_DATABASE_URL"] = os.environ.get(
        "TORG_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/torg"
    )
else:
    os.environ["TORG_DATABASE_URL"] = "sqlite:///" + os.path.join(os.environ["TORG_VAR_DIR"], "torg.sqlite3")

from torg.settings import *  # noqa: F403
from torg.settings import DATABASES, VAR_DIR

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a real worker process in a test can open the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
(VAR_DIR / "static").mkdir(exist_ok=True)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests read the English source strings; the Norwegian catalogues have tests of their own.
LANGUAGE_CODE = "en"
