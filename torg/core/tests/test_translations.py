"""The message catalogues in torg/locale: complete in nb and nn, compiled, and in use.

The catalogues are made by scripts/messages.sh (makemessages, then compilemessages); the .mo files are
committed so that an install needs no gettext. These tests fail when a catalogue has an untranslated or
fuzzy entry in Bokmål or Nynorsk, when a placeholder got lost in translation, when a .mo no longer
matches its .po (run scripts/messages.sh), and when the source has strings that the catalogues lack.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import torg

PACKAGE_DIR = Path(torg.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
LANGUAGES = ("nb", "nn", "en")
TRANSLATED = ("nb", "nn")  # English is the source language: its msgstr may stay empty
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """A small .po parser: enough for the files xgettext and msgmerge write."""
    entries: list[Entry] = []
    entry: Entry | None = None
    last: tuple[str, int] = ("", 0)  # the keyword (and plural index) that continuation lines add to
    flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line, obsolete = raw.strip(), False
        if line.startswith("#~"):
            line, obsolete = line[2:].strip(), True
            if line.startswith("|"):
                continue  # previous msgid of an obsolete fuzzy entry
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            keyword, index, text = *last, line
        else:
            keyword, _space, text = line.partition(" ")
            index = 0
            if keyword.startswith("msgstr["):
                keyword, index = "msgstr", int(keyword[7:-1])
            if keyword == "msgctxt" or (keyword == "msgid" and last[0] != "msgctxt"):
                entry = Entry(msgid="", flags=flags, obsolete=obsolete, line=number)
                entries.append(entry)
                flags = set()
            last = (keyword, index)
        assert entry is not None, f"{path}:{number}: text before the first entry"
        value = ast.literal_eval(text)
        if keyword == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + value
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            setattr(entry, keyword, (getattr(entry, keyword) or "") + value)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    return entries


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def messages(entries: list[Entry]) -> list[Entry]:
    """The entries that are messages: not the header, not obsolete."""
    return [e for e in entries if not e.obsolete and e.key != ""]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_exists_with_its_compiled_file(language: str) -> None:
    assert po_path(language).is_file(), f"run scripts/messages.sh: {po_path(language)} is missing"
    assert po_path(language).with_suffix(".mo").is_file(), f"run scripts/messages.sh: no .mo for {language}"
    header = next(e for e in parse_po(po_path(language)) if e.key == "")
    assert not header.fuzzy, f"{language}: the header is marked fuzzy"
    assert f"Language: {language}\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_no_obsolete_entries(language: str) -> None:
    obsolete = [str(e) for e in parse_po(po_path(language)) if e.obsolete]
    assert not obsolete, f"{language}: obsolete (#~) entries; run scripts/messages.sh: {obsolete}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    entries = messages(parse_po(po_path(language)))
    assert entries
    untranslated = [str(e) for e in entries if not e.translated]
    fuzzy = [str(e) for e in entries if e.fuzzy]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated: {untranslated}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy: {fuzzy}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders(language: str) -> None:
    wrong = []
    for entry in messages(parse_po(po_path(language))):
        wanted = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
        for index, text in entry.msgstr.items():
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"{entry} msgstr[{index}] = {text!r}")
    assert not wrong, f"{language}: placeholders differ from the source: {wrong}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_entries_have_both_forms(language: str) -> None:
    entries = messages(parse_po(po_path(language)))
    wrong = [str(e) for e in entries if e.msgid_plural is not None and set(e.msgstr) != {0, 1}]
    assert not wrong, f"{language}: plural entries without exactly two forms: {wrong}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_po_file(language: str) -> None:
    expected: dict[object, str] = {}
    for entry in messages(parse_po(po_path(language))):
        if entry.fuzzy or not entry.translated:
            continue  # msgfmt leaves these out
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
    with po_path(language).with_suffix(".mo").open("rb") as mo:
        catalog = dict(gettext.GNUTranslations(mo)._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)  # the header
    hint = f"{language}: the .mo is out of date; run scripts/messages.sh"
    counts = f"{len(catalog)} messages in the .mo, {len(expected)} in the .po"
    assert len(catalog) == len(expected), f"{hint} ({counts})"
    assert catalog == expected, hint


def test_the_catalogues_hold_every_string_of_the_source(tmp_path: Path) -> None:
    """makemessages on a copy of the package finds no string that the committed catalogues lack."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        if os.environ.get("CI"):
            pytest.fail(
                "GNU gettext (xgettext, msgmerge) is needed to compare the catalogues with the source"
            )
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed")
    copy = tmp_path / "torg"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    # No settings module, so that makemessages writes into the copy and never into the real LOCALE_PATHS.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nb", "--no-obsolete", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {e.key for e in messages(parse_po(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po"))}
    for language in LANGUAGES:
        committed = {e.key for e in messages(parse_po(po_path(language)))}
        new, gone = sorted(fresh - committed), sorted(committed - fresh)
        assert not new, f"{language}: new strings; run scripts/messages.sh and translate them: {new}"
        assert not gone, f"{language}: strings no longer in the source; run scripts/messages.sh: {gone}"


SAMPLES = {
    # source: (nb, nn)
    "Sign in": ("Logg inn", "Logg inn"),
    "Sign out": ("Logg ut", "Logg ut"),
    "Workspace": ("Arbeidsflate", "Arbeidsflate"),
    "Accessibility statement": ("Tilgjengelighetserklæring", "Tilgjengelegheitserklæring"),
    "Agent": ("Saksbehandler", "Saksbehandlar"),
    "API token": ("API-nøkkel", "API-nøkkel"),
    "You do not have access to this page.": (
        "Du har ikke tilgang til denne siden.",
        "Du har ikkje tilgang til denne sida.",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_strings_render_in_each_language(language: str) -> None:
    with translation.override(language):
        for source, (bokmal, nynorsk) in SAMPLES.items():
            assert _(source) == {"nb": bokmal, "nn": nynorsk, "en": source}[language]


def test_models_and_templates_speak_the_active_language() -> None:
    from torg.core.models import Person, Role

    template = Template(
        '{% load i18n %}{% translate "Sign out" %} | {% blocktranslate count counter=n %}'
        "{{ counter }} active person works here.{% plural %}"
        "{{ counter }} active people work here.{% endblocktranslate %}"
    )
    # Through variables, so that makemessages does not take these strings from this file.
    one, many = "%(counter)s active person works here.", "%(counter)s active people work here."
    expected = {
        "nb": ("Ansatt", "personer", "Logg ut | 3 aktive personer jobber her.", "1 aktiv person jobber her."),
        "nn": (
            "Tilsett",
            "personar",
            "Logg ut | 3 aktive personar arbeider her.",
            "1 aktiv person arbeider her.",
        ),
        "en": ("Employee", "people", "Sign out | 3 active people work here.", "1 active person works here."),
    }
    for language, (employee, people, rendered, singular) in expected.items():
        with translation.override(language):
            assert str(Role.EMPLOYEE.label) == employee
            assert str(Person._meta.verbose_name_plural) == people
            assert template.render(Context({"n": 3})) == rendered
            assert ngettext(one, many, 1) % {"counter": 1} == singular


def test_a_visitor_reads_the_default_language_or_the_one_the_browser_asks_for(client, db, settings) -> None:
    settings.LANGUAGE_CODE = "nb"  # as in torg/settings.py; the test settings use English
    response = client.get(reverse("signin"))
    assert response["Content-Language"] == "nb"
    assert "Tilgjengelighetserklæring" in response.content.decode()
    response = client.get(reverse("signin"), headers={"accept-language": "nn"})
    assert response["Content-Language"] == "nn"
    assert "Tilgjengelegheitserklæring" in response.content.decode()
    response = client.get(reverse("signin"), headers={"accept-language": "en"})
    assert response["Content-Language"] == "en"
    assert "Accessibility statement" in response.content.decode()
