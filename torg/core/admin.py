"""The operators' admin site. Tenant data is read-only here; changes go through the workspace and its services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from torg.core.models import ApiToken, AuditEntry, Department, ImportRun, Location, Organization, Person, Team


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "organization_number", "municipality_code", "language", "is_active"]
    list_filter = ["kind", "is_active", "language"]
    search_fields = ["name", "organization_number"]


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "organization", "parent", "depth", "is_active"]
    list_select_related = ["organization", "parent"]
    list_filter = ["organization"]
    search_fields = ["name", "code"]


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "city", "organization", "is_active"]
    list_select_related = ["organization"]
    list_filter = ["kind", "organization"]
    search_fields = ["name", "city"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name", "email", "organization", "department", "is_active"]
    list_select_related = ["organization", "department"]
    list_filter = ["organization", "is_active"]
    search_fields = ["search_text"]
    exclude = ["password"]


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "function", "organization", "is_active"]
    list_select_related = ["organization"]
    search_fields = ["name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "object_repr", "actor", "channel", "organization"]
    list_select_related = ["actor", "organization"]
    list_filter = ["action", "channel"]
    search_fields = ["object_repr"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "person", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["person"]
    exclude = ["digest"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "organization", "status", "uploaded_by", "created_at", "finished_at"]
    list_select_related = ["organization", "uploaded_by"]
    exclude = ["content"]
