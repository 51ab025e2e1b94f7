from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs: whether to show the workspace's navigation."""
    user = getattr(request, "user", None)
    return {"in_workspace": bool(user and user.is_authenticated and user.is_workspace_user)}
