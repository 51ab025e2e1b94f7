"""The `torg` command: `run` and `worker` start servers; everything else is a Django management command."""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn

import gunicorn

STOP_TIMEOUT = 40  # gunicorn's graceful timeout is 30 s
USAGE = """\
Start Torg:
  torg run [--bind 127.0.0.1:8000] [--workers 2]   web server and one job consumer (embedded default)
  torg worker [--workers N] [run_huey options]     job consumers only (several machines, TORG_REDIS_URL)

Install and keep:
  torg setup                                       migrate the database and collect static files
  torg demo                                        load the demo data and print its logins
  torg createadmin --provider-name … --organization-number … --username … --email …
                   --first-name … --last-name …    the first administrator of a new installation
  torg token create|list|revoke …                  API tokens
  torg municipalities refresh FILE                 replace the municipality register

Any other Django command works too (torg migrate, torg shell, torg check --deploy …).
"""


@dataclass(frozen=True)
class Child:
    """A program `torg run` starts and stops."""

    name: str
    argv: list[str]
    stop_signal: int  # the signal on which it finishes its work and stops


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def parse_run(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="torg run", description="Serve Torg with gunicorn and one job consumer."
    )
    parser.add_argument(
        "--bind", default="127.0.0.1:8000", help="address to listen on (default 127.0.0.1:8000)"
    )
    parser.add_argument("--workers", type=positive_int, default=2, help="web worker processes (default 2)")
    return parser.parse_args(argv)


def run_children(options: argparse.Namespace) -> list[Child]:
    """The web server and the job consumer that `torg run` supervises."""
    python = sys.executable
    web = [
        python,
        "-m",
        "gunicorn",
        "torg.wsgi:application",
        "--bind",
        options.bind,
        "--workers",
        str(options.workers),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
    ]
    if gunicorn.version_info >= (27,):  # its control socket in ~/.gunicorn would be shared by every instance
        web.append("--no-control-socket")
    # gunicorn stops gracefully on SIGTERM, the Huey consumer on SIGINT (SIGTERM interrupts running jobs).
    return [
        Child("web server", web, signal.SIGTERM),
        Child("job consumer", [python, "-m", "django", "run_huey"], signal.SIGINT),
    ]


def parse_worker(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="torg worker", description="Run Huey job consumers only; other options go to run_huey."
    )
    parser.add_argument("--workers", type=positive_int, help="worker threads (default TORG_WORKERS, or 2)")
    return parser.parse_known_args(argv)


def worker_command(options: argparse.Namespace, extra: Sequence[str] = ()) -> list[str]:
    command = [sys.executable, "-m", "django", "run_huey"]
    if options.workers:
        command += ["-w", str(options.workers)]
    return command + list(extra)


def url_of(bind: str) -> tuple[str, str | None, int | None]:
    """The address to show for a gunicorn bind, and the host and port to probe (none for a unix socket)."""
    if bind.startswith(("unix:", "fd://")):
        return bind, None, None
    host, _, port = bind.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):  # noqa: S104 (all interfaces include the loopback, which is what is shown)
        host = "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/", host, int(port)


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def _die_with_parent() -> None:
    # Linux: a child gets SIGTERM if `torg run` itself is killed outright, so no server is left behind.
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _exit_code(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


def supervise(children: Sequence[Child], url: tuple[str, str | None, int | None]) -> int:
    """Start the children; on SIGINT/SIGTERM, or when one of them ends, stop the others and return."""
    received: list[int] = []

    def handler(signum: int, frame: object) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    running: list[tuple[Child, subprocess.Popen]] = []
    code = 0
    try:
        # In a session of their own, a Ctrl-C in the terminal reaches only this process; it stops each child.
        for child in children:
            running.append(
                (child, subprocess.Popen(child.argv, start_new_session=True, preexec_fn=_die_with_parent))
            )
        shown, host, port = url
        announced = host is None
        if announced:
            print(f"Torg is starting on {shown} (Ctrl-C stops it).", flush=True)
        while not received:
            ended = next(((c, p) for c, p in running if p.poll() is not None), None)
            if ended:
                child, process = ended
                code = _exit_code(process.returncode) or 1
                print(
                    f"torg: the {child.name} stopped (exit code {process.returncode}); stopping the rest.",
                    file=sys.stderr,
                    flush=True,
                )
                break
            if not announced and _listening(host, port):
                print(f"Torg is running on {shown} (Ctrl-C stops it).", flush=True)
                announced = True
            time.sleep(0.2)
    finally:
        _stop(running, received)
        for sig, action in previous.items():
            signal.signal(sig, action)
    return code


def _stop(running: list[tuple[Child, subprocess.Popen]], received: list[int]) -> None:
    signals_before = len(received)
    for child, process in running:
        if process.poll() is None:
            process.send_signal(child.stop_signal)
    deadline = time.monotonic() + STOP_TIMEOUT
    while any(p.poll() is None for _, p in running):
        if time.monotonic() > deadline or len(received) > signals_before:  # another Ctrl-C: stop at once
            for _, process in running:
                if process.poll() is None:
                    process.kill()
        time.sleep(0.1)


def _django_setup() -> None:
    import django

    django.setup()


def run(argv: Sequence[str]) -> int:
    options = parse_run(argv)
    _django_setup()
    from torg.core.management.commands.setup import collect_static

    if collect_static():
        print("Static files collected.", flush=True)
    return supervise(run_children(options), url_of(options.bind))


def worker(argv: Sequence[str]) -> NoReturn:
    options, extra = parse_worker(argv)
    command = worker_command(options, extra)
    # The consumer takes over this process, so signals (systemd's stop, Ctrl-C) reach it directly.
    os.execv(command[0], command)  # noqa: S606


def main(argv: Sequence[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torg.settings")
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command == "run":
        sys.exit(run(argv[2:]))
    if command == "worker":
        worker(argv[2:])
    if command in ("help", "-h", "--help") and len(argv) <= 2:
        print(USAGE)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["torg", *argv[1:]])


if __name__ == "__main__":
    main()
