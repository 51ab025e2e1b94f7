"""The test settings with the SLA app installed, until it is in `INSTALLED_APPS` proper."""

from __future__ import annotations

from torg.settings_test import *  # noqa: F403
from torg.settings_test import INSTALLED_APPS

if "torg.sla" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "torg.sla"]
