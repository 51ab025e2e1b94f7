"""Categories of cases, kept by the provider; the ones a caller may choose from."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from torg.core.api.common import KeysetPagination
from torg.desk.models import Category
from torg.desk.schemas import CategoryFilter, CategoryOut

router = Router(tags=["categories"])


@router.get("/categories/", response=list[CategoryOut])
@paginate(KeysetPagination, ordering=("name", "id"))
def list_categories(request: HttpRequest, filters: Query[CategoryFilter]) -> Any:
    return filters.filter(Category.objects.visible_to(request.auth))
