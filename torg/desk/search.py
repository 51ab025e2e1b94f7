"""Text search of cases."""

from __future__ import annotations

from django.db import models


def ticket_search(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """Cases whose number, title or description holds every word of `text`."""
    text = text.strip()[:200]
    if text.lstrip("#").isdigit():
        return queryset.filter(pk=int(text.lstrip("#")))
    for word in text.split()[:8]:
        queryset = queryset.filter(models.Q(title__icontains=word) | models.Q(description__icontains=word))
    return queryset
