"""Generated page tests: a model's case declares what differs, the base tests list, detail, create, update,
deactivate, permissions, the other organization (the leak test), audit and query counts."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from torg.core.models import AuditEntry


class TenantModelViewTests:
    url_prefix: ClassVar[str]  # <namespace>:<prefix>_list …
    url_namespace: ClassVar[str] = "core"
    writer: ClassVar[str] = "admin"  # the role in the world fixture that may write
    outsider: ClassVar[str] = "agent"  # a workspace user without the right to write (None: every agent may)
    search_field: ClassVar[str] = "name"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Where every agent may keep the records, the outsider test does not apply and is not generated.
        if cls.outsider is None:
            cls.test_a_workspace_user_without_the_role_may_not_write = None  # type: ignore[assignment]

    # What differs per model: make(world, organization, **fields), create_data(world), created(world),
    # update_data(world, obj). visible()/hidden() default to a row of world.member and one of world.other.

    def visible(self, world: Any) -> Model:
        return self.make(world, world.member)

    def hidden(self, world: Any) -> Model:
        return self.make(world, world.other)

    # Helpers.
    def url(self, action: str, obj: Model | None = None) -> str:
        name = f"{self.url_namespace}:{self.url_prefix}_{action}"
        return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)

    def label(self, obj: Model) -> str:
        return str(getattr(obj, self.search_field))

    # The generated tests.
    def test_list_shows_reached_rows_and_hides_the_other_organizations(self, client: Any, world: Any) -> None:
        mine, theirs = self.visible(world), self.hidden(world)
        client.force_login(world.agent)
        page = client.get(self.url("list")).content.decode()
        assert self.label(mine) in page
        assert self.label(theirs) not in page

    def test_search_does_not_reveal_the_other_organizations(self, client: Any, world: Any) -> None:
        theirs = self.hidden(world)
        client.force_login(world.agent)
        response = client.get(
            self.url("list"), {"q": self.label(theirs), "active": "all"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        body = response.content.decode()
        rows = body[
            body.index("<tbody>") : body.index("</tbody>")
        ]  # the query itself is echoed in page links
        assert self.label(theirs) not in rows
        assert "Nothing matches." in rows

    def test_search_as_you_type_answers_with_the_rows_only(self, client: Any, world: Any) -> None:
        mine = self.visible(world)
        client.force_login(world.agent)
        response = client.get(self.url("list"), {"q": self.label(mine)}, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert self.label(mine) in body
        assert "<html" not in body
        assert 'id="result-count"' in body  # the count is announced in the live region

    def test_detail_and_edit_of_another_organizations_row_is_404(self, client: Any, world: Any) -> None:
        theirs = self.hidden(world)
        client.force_login(world.agent)
        assert client.get(self.url("detail", theirs)).status_code == 404
        assert client.get(self.url("update", theirs)).status_code == 404
        assert client.post(self.url("deactivate", theirs)).status_code == 404

    def test_an_unknown_id_is_404(self, client: Any, world: Any) -> None:
        client.force_login(getattr(world, self.writer))
        assert (
            client.get(
                reverse(f"{self.url_namespace}:{self.url_prefix}_detail", args=[987654321])
            ).status_code
            == 404
        )

    def test_employee_is_refused_the_workspace(self, client: Any, world: Any) -> None:
        client.force_login(world.employee)
        assert client.get(self.url("list")).status_code == 403

    def test_anonymous_is_sent_to_sign_in(self, client: Any, world: Any) -> None:
        response = client.get(self.url("list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("signin"))

    def test_detail_shows_fields_and_history(self, client: Any, world: Any) -> None:
        mine = self.visible(world)
        client.force_login(getattr(world, self.writer))
        page = client.get(self.url("detail", mine)).content.decode()
        assert self.label(mine) in page
        assert 'id="history-heading"' in page

    def test_create_saves_and_audits(self, client: Any, world: Any) -> None:
        client.force_login(getattr(world, self.writer))
        before = AuditEntry.objects.count()
        response = client.post(self.url("create"), self.create_data(world))
        assert response.status_code == 302, response.content.decode()[:3000]
        obj = self.created(world)
        entry = AuditEntry.objects.filter(object_id=obj.pk, action="create").latest("id")
        assert entry.actor == getattr(world, self.writer)
        assert entry.channel == "page"
        assert AuditEntry.objects.count() > before

    def test_update_saves_and_audits_from_and_to(self, client: Any, world: Any) -> None:
        obj = self.visible(world)
        client.force_login(getattr(world, self.writer))
        data = self.update_data(world, obj)
        response = client.post(self.url("update", obj), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        entry = AuditEntry.objects.filter(object_id=obj.pk, action="update").latest("id")
        field = self.search_field if self.search_field in data else next(iter(data))
        assert entry.changes[field][1] == data[field]
        history = client.get(self.url("detail", obj)).content.decode()
        assert str(data[field]) in history

    def test_bad_input_is_shown_and_changes_nothing(self, client: Any, world: Any) -> None:
        obj = self.visible(world)
        client.force_login(getattr(world, self.writer))
        data = self.update_data(world, obj) | {self.search_field: "x" * 500}
        before = AuditEntry.objects.count()
        response = client.post(self.url("update", obj), data)
        assert response.status_code == 400, response.status_code
        assert 'aria-invalid="true"' in response.content.decode()
        assert AuditEntry.objects.count() == before
        obj.refresh_from_db()
        assert len(self.label(obj)) < 500

    def test_deactivate_and_reactivate_are_audited(self, client: Any, world: Any) -> None:
        obj = self.visible(world)
        client.force_login(getattr(world, self.writer))
        assert client.post(self.url("deactivate", obj)).status_code == 302
        obj.refresh_from_db()
        assert obj.is_active is False
        assert client.post(self.url("reactivate", obj)).status_code == 302
        obj.refresh_from_db()
        assert obj.is_active is True
        actions = list(AuditEntry.objects.filter(object_id=obj.pk).values_list("action", flat=True))
        assert {"deactivate", "reactivate"} <= set(actions)

    def test_a_workspace_user_without_the_role_may_not_write(self, client: Any, world: Any) -> None:
        obj = self.visible(world)
        client.force_login(getattr(world, self.outsider))
        before = AuditEntry.objects.count()
        assert client.post(self.url("create"), self.create_data(world)).status_code == 403
        assert client.post(self.url("update", obj), self.update_data(world, obj)).status_code == 403
        assert client.post(self.url("deactivate", obj)).status_code == 403
        assert AuditEntry.objects.count() == before

    def test_list_query_count_does_not_grow_with_rows(self, client: Any, world: Any) -> None:
        client.force_login(world.admin)
        for _ in range(3):
            self.visible(world)
        with CaptureQueriesContext(connection) as few:
            assert client.get(self.url("list")).status_code == 200
        for _ in range(25):
            self.visible(world)
        with CaptureQueriesContext(connection) as many:
            assert client.get(self.url("list")).status_code == 200
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
