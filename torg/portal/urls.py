from __future__ import annotations

from django.urls import path

from torg.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.language, name="language"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
