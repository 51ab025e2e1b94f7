from __future__ import annotations

import re

from django.urls import reverse

from conftest import PASSWORD
from torg.core.models import AuditEntry, InstallationPage, Organization, Person


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("signin"), {"username": username, "password": password, **extra})


def test_front_page_offers_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("signin").encode() in response.content


def test_sign_in_by_username_or_email_lands_where_the_role_works(client, world):
    assert sign_in(client, "agent")["Location"] == "/desk/"
    client.post(reverse("signout"))
    assert sign_in(client, world.employee.email.upper())["Location"] == "/"
    assert AuditEntry.objects.filter(action="sign_in", actor=world.employee).exists()


def test_wrong_password_says_so_without_telling_which(client, world):
    response = sign_in(client, "agent", "feil-passord")
    assert response.status_code == 400
    assert "The username or password is wrong." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_attempts_are_throttled(client, world, settings):
    for _ in range(settings.SIGNIN_MAX_FAILURES):
        sign_in(client, "agent", "feil-passord")
    response = sign_in(client, "agent")  # even the right password waits now
    assert response.status_code == 400
    assert "Too many failed attempts" in response.content.decode()


def test_deactivated_people_and_organizations_cannot_sign_in(client, world):
    Person.objects.filter(pk=world.agent.pk).update(is_active=False)
    assert sign_in(client, "agent").status_code == 400
    Organization.objects.filter(pk=world.member.pk).update(is_active=False)
    assert sign_in(client, "employee").status_code == 400


def test_next_is_followed_only_on_this_site(client, world):
    assert sign_in(client, "agent", next="/desk/people/")["Location"] == "/desk/people/"
    client.post(reverse("signout"))
    assert sign_in(client, "agent", next="https://evil.example/")["Location"] == "/desk/"


def test_pages_carry_a_strict_content_security_policy_and_no_inline_script(client, world):
    client.force_login(world.admin)
    for url in ["/", "/desk/", "/desk/people/", reverse("signin"), reverse("portal:accessibility")]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html, url


def test_shell_has_skip_link_landmarks_and_the_accessibility_statement(client, world):
    client.force_login(world.agent)
    html = client.get("/desk/").content.decode()
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    assert reverse("portal:accessibility") in html


def test_language_switch_is_kept_on_the_person(client, world):
    client.force_login(world.employee)
    client.post(reverse("portal:language"), {"language": "nn", "next": "/"})
    assert Person.objects.get(pk=world.employee.pk).language == "nn"
    assert client.get("/").headers["Content-Language"] == "nn"


def test_organization_language_is_the_default_and_the_persons_choice_wins(client, world):
    Organization.objects.filter(pk=world.member.pk).update(language="nn")
    client.force_login(world.employee)
    assert client.get("/").headers["Content-Language"] == "nn"
    Person.objects.filter(pk=world.employee.pk).update(language="en")
    assert client.get("/").headers["Content-Language"] == "en"


def test_anonymous_language_choice_is_a_cookie(client, db):
    response = client.post(reverse("portal:language"), {"language": "en", "next": "/"})
    assert response.cookies["django_language"].value == "en"
    assert client.get("/").headers["Content-Language"] == "en"


def test_an_unknown_language_changes_nothing(client, world):
    client.force_login(world.employee)
    client.post(reverse("portal:language"), {"language": "xx"})
    assert Person.objects.get(pk=world.employee.pk).language == ""


def test_administrator_writes_the_accessibility_statement_and_it_is_sanitised(client, world):
    client.force_login(world.admin)
    body = "## Status\n\nTorg er i samsvar med WCAG 2.1 AA.\n\n<script>alert(1)</script>\n\n[lenke](javascript:alert(1))"
    response = client.post(
        reverse("core:accessibility_edit"), {"title": "Tilgjengelegheitserklæring", "body": body}
    )
    assert response.status_code == 302
    assert InstallationPage.objects.filter(slug="accessibility").exists()
    html = client.get(reverse("portal:accessibility")).content.decode()
    assert "<h2>Status</h2>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text
    assert 'href="javascript:' not in html


def test_only_administrators_edit_the_statement(client, world):
    client.force_login(world.agent)
    assert client.get(reverse("core:accessibility_edit")).status_code == 403


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/finst-ikkje/")
    assert response.status_code == 404
    assert "<main" in response.content.decode()


def test_behind_a_proxy_the_throttle_counts_per_client_not_per_proxy(client, world, settings):
    settings.BEHIND_PROXY = True
    for _ in range(settings.SIGNIN_MAX_FAILURES):
        client.post(reverse("signin"), {"username": "agent", "password": "feil"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    locked = client.post(reverse("signin"), {"username": "agent", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 400
    elsewhere = client.post(reverse("signin"), {"username": "agent", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert elsewhere.status_code == 302
