from __future__ import annotations

import csv
import io
import os
import signal
import sys
import threading
import time
from pathlib import Path

import gunicorn
import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from conftest import World
from torg import cli
from torg.core import municipalities
from torg.core.management.commands.setup import collect_static, static_is_current
from torg.core.models import ApiToken, AuditEntry, Channel, Organization, Person
from torg.core.services.tokens import token_authenticate

ADMIN = [
    "--provider-name", "Nordhordland IKT", "--organization-number", "921847564", "--username", "anne",
    "--email", "anne.berg@nhikt.no", "--first-name", "Anne", "--last-name", "Berg",
]  # fmt: skip

ADMIN_LOGIN_WORD = "et-langt-passord-2026"


def run(*args: str, **options: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


# torg token


def test_token_create_prints_the_secret_once_and_audits(world: World) -> None:
    out, err = run("token", "create", "agent", "--name", "Rapportverktøy")
    secret = out.strip()
    assert secret.startswith("torg_")
    assert "only this once" in err
    assert token_authenticate(secret) == world.agent
    token = ApiToken.objects.get(person=world.agent)
    assert token.name == "Rapportverktøy"
    assert secret not in token.digest
    entry = AuditEntry.objects.for_object(world.agent).get(action=AuditEntry.Action.TOKEN_CREATE)
    assert (entry.actor, entry.channel) == (world.agent, Channel.COMMAND)


def test_token_create_finds_the_person_by_email(world: World) -> None:
    out, _err = run("token", "create", world.employee.email.upper())
    assert token_authenticate(out.strip()) == world.employee


def test_token_list_and_revoke(world: World) -> None:
    run("token", "create", "agent", "--name", "Første")
    token = ApiToken.objects.get(person=world.agent)
    out, _err = run("token", "list", "agent")
    assert "Første" in out and token.prefix in out
    out, _err = run("token", "revoke", str(token.pk))
    assert "is revoked" in out
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        AuditEntry.objects.for_object(world.agent).filter(action=AuditEntry.Action.TOKEN_REVOKE).count() == 1
    )
    out, _err = run("token", "revoke", str(token.pk))
    assert "revoked already" in out
    assert (
        AuditEntry.objects.for_object(world.agent).filter(action=AuditEntry.Action.TOKEN_REVOKE).count() == 1
    )


def test_token_commands_explain_what_is_wrong(world: World) -> None:
    with pytest.raises(CommandError, match="No one has"):
        run("token", "create", "ingen-slik")
    with pytest.raises(CommandError, match="no token 999"):
        run("token", "revoke", "999")
    world.employee.is_active = False
    world.employee.save()
    with pytest.raises(CommandError):
        run("token", "create", "employee")
    assert not ApiToken.objects.exists()
    out, _err = run("token", "list", "agent")
    assert "no API tokens" in out


# torg createadmin


def test_createadmin_makes_the_provider_and_its_administrator(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TORG_ADMIN_PASSWORD", ADMIN_LOGIN_WORD)
    out, _err = run("createadmin", *ADMIN)
    assert "Anne Berg (anne) is an administrator of Nordhordland IKT" in out
    provider = Organization.objects.get(organization_number="921847564")
    assert provider.kind == Organization.Kind.PROVIDER
    person = authenticate(username="anne", password=ADMIN_LOGIN_WORD)
    assert person is not None and person.organization == provider
    assert person.is_administrator and person.is_staff
    assert person.search_text == person.compute_search_text()
    entries = AuditEntry.objects.all()
    assert {e.content_type.model for e in entries} == {"organization", "person", "rolegrant"}
    assert all(e.actor is None and e.channel == Channel.COMMAND and e.action == "create" for e in entries)
    assert all(e.organization == provider for e in entries)


def test_createadmin_adds_to_an_existing_provider(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TORG_ADMIN_PASSWORD", ADMIN_LOGIN_WORD)
    organizations = Organization.objects.count()
    args = [*ADMIN]
    args[3] = world.provider.organization_number
    run("createadmin", *args)
    assert Organization.objects.count() == organizations
    assert Person.objects.get(username="anne").organization == world.provider


def test_createadmin_refuses_bad_input_and_writes_nothing(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TORG_ADMIN_PASSWORD", "kort")
    with pytest.raises(CommandError, match="10"):
        run("createadmin", *ADMIN)
    monkeypatch.setenv("TORG_ADMIN_PASSWORD", ADMIN_LOGIN_WORD)
    args = [*ADMIN]
    args[3] = "921847565"  # wrong check digit
    with pytest.raises(CommandError, match="921847565"):
        run("createadmin", *args)
    assert (
        not Organization.objects.exists() and not Person.objects.exists() and not AuditEntry.objects.exists()
    )
    run("createadmin", *ADMIN)
    with pytest.raises(CommandError, match="already"):
        run("createadmin", *ADMIN)


def test_createadmin_refuses_a_member_organization(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TORG_ADMIN_PASSWORD", ADMIN_LOGIN_WORD)
    args = [*ADMIN]
    args[3] = world.member.organization_number
    with pytest.raises(CommandError, match="not a provider"):
        run("createadmin", *args)
    assert not Person.objects.filter(username="anne").exists()


def test_createadmin_needs_a_password_without_a_terminal(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TORG_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    with pytest.raises(CommandError, match="TORG_ADMIN_PASSWORD"):
        run("createadmin", *ADMIN)


# torg municipalities refresh


@pytest.fixture
def register(tmp_path: Path) -> Path:
    target = tmp_path / "municipalities.csv"
    target.write_bytes(municipalities.REGISTER.read_bytes())
    return target


def write_register(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([municipalities.COLUMNS, *rows])
    return path


def current_rows() -> list[list[str]]:
    return [[m.code, m.name, m.county_code, m.county_name] for m in municipalities.municipalities().values()]


def test_refresh_accepts_a_valid_register_and_reports_the_changes(
    world: World, register: Path, tmp_path: Path
) -> None:
    rows = [row for row in current_rows() if row[0] not in ("3201", "4633")]
    rows = [[c, "Modalen kommune" if c == "4629" else n, cc, cn] for c, n, cc, cn in rows]
    rows.append(["5699", "Nyby", "56", "Finnmark - Finnmárku - Finmarkku"])
    new = write_register(tmp_path / "new.csv", rows)
    out, err = run("municipalities", "refresh", str(new), "--target", str(register))
    assert "Municipalities: 356 (1 added, 2 removed, 1 renamed)" in out
    assert "+ 5699 Nyby" in out and "- 4633 Fedje" in out and "~ 4629 Modalen → Modalen kommune" in out
    assert "Counties: 15 (0 added, 0 removed, 0 renamed)" in out
    assert register.read_bytes() == new.read_bytes()
    assert "3201" in err and world.member.name in err  # the organization whose number left the register
    out, _err = run("municipalities", "refresh", str(new), "--target", str(register))
    assert "nothing was changed" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kode,navn\n0301,Oslo\n", "expected columns"),
        ("code,name,county_code,county_name\n0301,Oslo,03,Oslo\n0301,Oslo,03,Oslo\n", "appears twice"),
        ("code,name,county_code,county_name\n301,Oslo,03,Oslo\n", "line 2"),
        ("code,name,county_code,county_name\n", "no municipalities"),
    ],
)
def test_refresh_rejects_a_bad_register_and_changes_nothing(
    db: None, register: Path, tmp_path: Path, content: str, message: str
) -> None:
    before = register.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("municipalities", "refresh", str(bad), "--target", str(register))
    assert register.read_bytes() == before


def test_refresh_rejects_a_file_that_is_not_utf8(db: None, register: Path, tmp_path: Path) -> None:
    before = register.read_bytes()
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("code,name,county_code,county_name\n3201,Bærum,32,Akershus\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run("municipalities", "refresh", str(bad), "--target", str(register))
    assert register.read_bytes() == before
    assert list(register.parent.glob(".municipalities-*")) == []


# torg run and torg worker


def test_run_defaults_to_two_web_workers_on_the_loopback() -> None:
    options = cli.parse_run([])
    assert (options.bind, options.workers) == ("127.0.0.1:8000", 2)
    web, jobs = cli.run_children(options)
    assert web.argv[1:4] == ["-m", "gunicorn", "torg.wsgi:application"]
    assert web.argv[web.argv.index("--bind") + 1] == "127.0.0.1:8000"
    assert web.argv[web.argv.index("--workers") + 1] == "2"
    assert web.argv[web.argv.index("--access-logfile") + 1] == "-"  # to stdout
    assert "runserver" not in web.argv
    assert ("--no-control-socket" in web.argv) == (gunicorn.version_info >= (27,))
    assert jobs.argv[1:] == ["-m", "django", "run_huey"]
    assert (web.stop_signal, jobs.stop_signal) == (signal.SIGTERM, signal.SIGINT)
    assert web.argv[0] == jobs.argv[0] == sys.executable


def test_run_takes_bind_and_workers() -> None:
    web, _jobs = cli.run_children(cli.parse_run(["--bind", "0.0.0.0:9000", "--workers", "5"]))
    assert web.argv[web.argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert web.argv[web.argv.index("--workers") + 1] == "5"


@pytest.mark.parametrize("args", [["--workers", "0"], ["--workers", "many"], ["--port", "80"]])
def test_run_rejects_bad_arguments(args: list[str]) -> None:
    with pytest.raises(SystemExit):
        cli.parse_run(args)


def test_worker_runs_only_consumers_and_passes_options_on() -> None:
    options, extra = cli.parse_worker(["--workers", "8", "-k", "process"])
    assert cli.worker_command(options, extra)[1:] == ["-m", "django", "run_huey", "-w", "8", "-k", "process"]
    options, extra = cli.parse_worker([])
    assert cli.worker_command(options, extra)[1:] == ["-m", "django", "run_huey"]


@pytest.mark.parametrize(
    ("bind", "url"),
    [
        ("127.0.0.1:8000", ("http://127.0.0.1:8000/", "127.0.0.1", 8000)),
        ("0.0.0.0:80", ("http://127.0.0.1:80/", "127.0.0.1", 80)),
        ("[::1]:8080", ("http://[::1]:8080/", "::1", 8080)),
        ("unix:/run/torg.sock", ("unix:/run/torg.sock", None, None)),
    ],
)
def test_url_of_a_bind(bind: str, url: tuple[str, str | None, int | None]) -> None:
    assert cli.url_of(bind) == url


def sleeper(name: str, stop_signal: int = signal.SIGTERM) -> cli.Child:
    return cli.Child(name, [sys.executable, "-c", "import time; time.sleep(60)"], stop_signal)


def test_supervise_stops_the_rest_when_one_child_ends(capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    failing = cli.Child("web server", [sys.executable, "-c", "raise SystemExit(3)"], signal.SIGTERM)
    assert cli.supervise([sleeper("job consumer", signal.SIGINT), failing], ("unix:x", None, None)) == 3
    assert time.monotonic() - started < 10
    assert "the web server stopped (exit code 3)" in capsys.readouterr().err


def test_supervise_stops_both_children_on_sigterm() -> None:
    started = time.monotonic()
    threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM)).start()
    assert cli.supervise([sleeper("web server"), sleeper("job consumer")], ("unix:x", None, None)) == 0
    assert time.monotonic() - started < 10
    assert signal.getsignal(signal.SIGTERM) is not None  # the previous handler is back


def test_supervise_kills_at_once_on_a_second_signal() -> None:
    stubborn = cli.Child(
        "web server",
        [
            sys.executable,
            "-c",
            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)",
        ],
        signal.SIGTERM,
    )
    started = time.monotonic()
    threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGTERM)).start()
    threading.Timer(3.0, os.kill, (os.getpid(), signal.SIGINT)).start()
    assert cli.supervise([stubborn], ("unix:x", None, None)) == 0
    assert time.monotonic() - started < cli.STOP_TIMEOUT / 2


def test_main_sets_the_settings_and_passes_other_commands_to_django(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", seen.append)
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    cli.main(["torg", "migrate", "--plan"])
    assert seen == [["torg", "migrate", "--plan"]]
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "torg.settings"
    cli.main(["torg"])
    assert "torg run" in capsys.readouterr().out


# torg setup


@pytest.fixture
def manifest_storage(settings, tmp_path: Path) -> Path:
    source = tmp_path / "src"
    source.mkdir()
    (source / "extra.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    return source / "extra.css"


def test_static_files_are_collected_only_when_sources_changed(manifest_storage: Path) -> None:
    assert not static_is_current()
    assert collect_static()
    assert static_is_current()
    assert not collect_static()
    later = time.time() + 5
    os.utime(manifest_storage, (later, later))
    assert not static_is_current()
    assert collect_static()
    (manifest_storage.parent / "new.js").write_text("// new")
    assert not static_is_current()


def test_setup_migrates_and_collects_once(db: None, manifest_storage: Path) -> None:
    out, _err = run("setup")
    assert "Database: up to date." in out and "Static files: collected." in out
    out, _err = run("setup")
    assert "Static files: up to date." in out
