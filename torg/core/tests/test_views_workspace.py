from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from torg.core.models import AuditEntry, Department
from torg.core.tests.factories import DepartmentFactory, PersonFactory


def test_person_picker_searches_as_you_type_within_reach_and_caps_the_list(client, world):
    for i in range(30):
        PersonFactory(organization=world.member, last_name=f"Haugen{i}")
    PersonFactory(organization=world.other, last_name="Haugen-skjult")
    client.force_login(world.agent)
    html = client.get(reverse("core:person_pick"), {"q": "haugen"}).content.decode()
    assert html.count('<option value="') == 1 + 20  # the prompt and at most 20 people, never the full list
    assert "skjult" not in html
    assert client.get(reverse("core:person_pick"), {"q": ""}).content.decode().count("<option") == 1


def test_person_picker_finds_by_phone_email_and_employee_number(client, world):
    person = PersonFactory(
        organization=world.member,
        phone="915 55 123",
        email="tove.lie@lindas.kommune.no",
        employee_number="L-4242",
    )
    client.force_login(world.agent)
    for text in ["91555123", "tove.lie@", "l-4242", ["Tove", "Lie"][0][:3]]:
        html = client.get(reverse("core:person_pick"), {"q": text}).content.decode()
        assert f'value="{person.pk}"' in html or text == "Tov", text


def test_picker_query_count_does_not_grow(client, world):
    client.force_login(world.agent)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:person_pick"), {"q": "nordmann"})
    for _ in range(30):
        PersonFactory(organization=world.member)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("core:person_pick"), {"q": "nordmann"})
    assert len(many) == len(few)


def test_people_export_holds_only_reached_people_and_is_audited(client, world):
    client.force_login(world.agent)
    response = client.get(reverse("core:person_list"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert world.employee.email in body
    assert world.other_employee.email not in body
    entry = AuditEntry.objects.filter(action="export", actor=world.agent).get(organization=world.member)
    assert entry.changes["rows"] >= 1


def test_export_cells_that_look_like_formulas_stay_text(client, world):
    PersonFactory(organization=world.member, first_name='=HYPERLINK("http://x")', last_name="Formel")
    client.force_login(world.agent)
    body = b"".join(client.get(reverse("core:person_list"), {"format": "csv"}).streaming_content).decode()
    assert "'=HYPERLINK" in body


def test_a_tampered_page_link_starts_again_with_a_message(client, world):
    client.force_login(world.agent)
    response = client.get(reverse("core:person_list"), {"cursor": "not-a-cursor!!"})
    assert response.status_code == 200
    assert "The page link is not valid" in response.content.decode()


def test_keyset_pages_walk_every_row_once(client, world):
    for i in range(120):
        PersonFactory(organization=world.member, last_name="Berg", first_name=f"Per{i:03d}")
    client.force_login(world.agent)
    seen, url, params = [], reverse("core:person_list"), {"q": "berg"}
    while True:
        response = client.get(url, params)
        page = response.context["page"]
        seen += [p.pk for p in page.items]
        if not page.next_cursor:
            break
        params = {"q": "berg", "cursor": page.next_cursor}
    assert len(seen) == len(set(seen)) == 120


def test_counts_are_capped(client, world, monkeypatch):
    from torg.core import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    for _ in range(6):
        PersonFactory(organization=world.member, last_name="Dahl")
    client.force_login(world.agent)
    response = client.get(reverse("core:person_list"), {"q": "dahl"})
    assert response.context["count"] == 3 and response.context["more"]
    assert "3+ matches" in response.content.decode()


def test_department_move_page_moves_the_subtree(client, world):
    root = DepartmentFactory(organization=world.member, name="Helse")
    unit = DepartmentFactory(organization=world.member, name="Heimeteneste", parent=world.employee.department)
    client.force_login(world.admin)
    response = client.post(reverse("core:department_move", args=[unit.pk]), {"parent": root.pk})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.parent == root and unit.path == f"/{root.pk}/{unit.pk}/"
    detail = client.get(reverse("core:department_detail", args=[unit.pk])).content.decode()
    assert "Moved" in detail and "Helse" in detail


def test_department_move_refuses_a_loop_with_a_clear_error(client, world):
    parent = world.employee.department
    child = DepartmentFactory(organization=world.member, name="Barnehage", parent=parent)
    client.force_login(world.admin)
    response = client.post(reverse("core:department_move", args=[parent.pk]), {"parent": child.pk})
    assert response.status_code == 400
    assert "cannot be moved into itself" in response.content.decode()
    assert Department.objects.get(pk=parent.pk).parent is None


def test_department_move_offers_no_parent_from_another_organization(client, world):
    foreign = DepartmentFactory(organization=world.other)
    client.force_login(world.admin)
    response = client.post(
        reverse("core:department_move", args=[world.employee.department.pk]), {"parent": foreign.pk}
    )
    assert response.status_code == 400


def test_team_members_are_added_and_removed_with_history(client, world):
    team = world.agent.teams.get()
    newcomer = PersonFactory(organization=world.provider, first_name="Nina", last_name="Ny")
    client.force_login(world.admin)
    client.post(reverse("core:team_member_add", args=[team.pk]), {"person": newcomer.pk, "is_lead": "on"})
    assert team.memberships.get(person=newcomer).is_lead
    client.post(reverse("core:team_member_remove", args=[team.pk, newcomer.pk]))
    assert not team.memberships.filter(person=newcomer).exists()
    changes = [e.changes for e in AuditEntry.objects.filter(object_id=team.pk, action="update")]
    assert any("Nina Ny" in c.get("members", [[], []])[1] for c in changes)


def test_tokens_page_lists_own_tokens_and_revokes(client, world):
    from torg.core.services.tokens import token_create

    token, _secret = token_create(person=world.agent, name="Skript", by=world.agent, via="command")
    other, _ = token_create(person=world.lead, name="Annan", by=world.lead, via="command")
    client.force_login(world.agent)
    html = client.get(reverse("core:token_list")).content.decode()
    assert "Skript" in html and "Annan" not in html
    assert client.post(reverse("core:token_revoke", args=[other.pk])).status_code == 404
    client.post(reverse("core:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
