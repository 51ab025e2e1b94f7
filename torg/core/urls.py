from __future__ import annotations

from django.urls import path

from torg.core.views import directory, imports, workspace

app_name = "core"
urlpatterns = [
    path("", workspace.home, name="home"),
    *directory.urlpatterns,
    path("departments/<int:pk>/move/", workspace.department_move_page, name="department_move"),
    path("teams/<int:pk>/members/", workspace.team_member_add, name="team_member_add"),
    path(
        "teams/<int:pk>/members/<int:person_id>/remove/",
        workspace.team_member_remove,
        name="team_member_remove",
    ),
    path("pick/people/", workspace.person_pick, name="person_pick"),
    path("pick/departments/", workspace.department_pick, name="department_pick"),
    path("pick/locations/", workspace.location_pick, name="location_pick"),
    path("tokens/", workspace.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", workspace.token_revoke_page, name="token_revoke"),
    path("settings/accessibility/", workspace.accessibility_edit, name="accessibility_edit"),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/new/", imports.import_create, name="import_create"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
]
