"""The REST API, /api/v1/: authentication, the one error shape, and the routers of each app."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="Torg API", version="1", urls_namespace="api")
