from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torg.settings")
application = get_wsgi_application()

# What start-up loaded lives as long as the worker: leave it out of the collector's full passes, which
# otherwise make one request now and then wait 60–300 ms on a large worker (bench/RESULTS.md).
gc.freeze()
