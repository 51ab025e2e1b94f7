"""The core app's background jobs, in immediate mode and on a real Huey consumer with Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone
from huey import RedisHuey

from conftest import World, need_server
from torg.core.models import AuditEntry, Channel, ImportRun, Person
from torg.core.services import imports
from torg.core.tasks import requeue_waiting_imports, run_import

CSV = "ansattnummer;fornavn;etternavn;epost\r\n1;Åse;Ødegård;ase@fjellby.no\r\n2;Per;Bråten;\r\n".encode()
REDIS_URL = "redis://127.0.0.1:6379/15"


def pending_run(world: World) -> ImportRun:
    world.customer_manager.language = "en"  # the report's language; English whatever the catalogues hold
    world.customer_manager.save(update_fields=["language"])
    return ImportRun.objects.create(
        organization=world.other,
        uploaded_by=world.customer_manager,
        file_name="ansatte.csv",
        content=CSV,
        report={"via": Channel.PAGE},
    )


def test_a_run_is_applied_once_however_often_it_is_queued(world: World) -> None:
    run = pending_run(world)
    run_import(run.pk)
    run_import(run.pk)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert run.report["people"]["created"] == 2
    assert world.other.people.filter(employee_number__in=["1", "2"]).count() == 2
    assert AuditEntry.objects.for_object(run).count() == 1


def test_a_run_another_worker_has_claimed_is_left_alone(world: World) -> None:
    run = pending_run(world)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)
    run_import(run.pk)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING
    assert not world.other.people.filter(employee_number="1").exists()


def test_an_error_during_the_import_rejects_the_run_and_rolls_everything_back(
    world: World, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "_apply_people", broken)
    run = pending_run(world)
    run.content = "ansattnummer;fornavn;etternavn;enhetskode;enhet\r\n1;Åse;Berg;10;Helse\r\n".encode()
    run.save()
    run_import(run.pk)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.REJECTED
    assert run.report["problems"][0]["message"].startswith("The import failed because of an error in Torg.")
    assert not world.other.departments.exists()


def test_runs_left_waiting_are_queued_again(world: World) -> None:
    lost = pending_run(world)
    ImportRun.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    fresh = pending_run(world)
    requeue_waiting_imports.call_local()
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.status, fresh.status) == (ImportRun.Status.DONE, ImportRun.Status.PENDING)


def _database_url() -> str:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        return f"postgres://postgres@127.0.0.1:5432/{name}"
    return f"sqlite:///{name}"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_consumer_imports_a_queued_run(world: World, tmp_path: Path) -> None:
    need_server("Redis", "127.0.0.1", 6379)
    queue = redis.Redis.from_url(REDIS_URL)
    queue.flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "torg.settings",
        "TORG_REDIS_URL": REDIS_URL,
        "TORG_DATABASE_URL": _database_url(),
        "TORG_VAR_DIR": str(tmp_path),
    }
    env.pop("TORG_HUEY_IMMEDIATE", None)  # the test settings force immediate mode into the environment
    log = tmp_path / "consumer.log"
    with log.open("wb") as output:
        consumer = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--workers", "1", "--no-periodic"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        run = pending_run(world)
        producer = RedisHuey("torg", url=REDIS_URL)
        # A task goes on the queue by its registered name, torg.core.tasks.run_import; the producer needs the
        # same name in its own registry, which registering the task's function gives it.
        producer.enqueue(producer.task()(run_import.call_local).s(run.pk))
        deadline = time.monotonic() + 30
        while (
            run.status in (ImportRun.Status.PENDING, ImportRun.Status.RUNNING) and time.monotonic() < deadline
        ):
            assert consumer.poll() is None, log.read_text()
            time.sleep(0.2)
            run.refresh_from_db()
        assert run.status == ImportRun.Status.DONE, (run.report, log.read_text())
        assert Person.objects.get(organization=world.other, employee_number="1").last_name == "Ødegård"
    finally:
        consumer.terminate()
        try:
            consumer.wait(timeout=10)
        except subprocess.TimeoutExpired:
            consumer.kill()
            consumer.wait()
        queue.flushdb()
        queue.close()
