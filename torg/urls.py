from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from torg.api import api
from torg.portal import views as portal_views

urlpatterns = [
    path("", include("torg.portal.urls")),
    path("signin/", portal_views.signin, name="signin"),
    path("signout/", portal_views.signout, name="signout"),
    path("desk/", include("torg.core.urls")),
    path("desk/", include("torg.desk.urls")),
    path("desk/sla/", include("torg.sla.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "torg.portal.views.bad_request"
handler403 = "torg.portal.views.permission_denied"
handler404 = "torg.portal.views.page_not_found"
handler500 = "torg.portal.views.server_error"
