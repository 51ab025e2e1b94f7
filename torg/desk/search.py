"""Text search of cases, on stored and indexed text only.

A case's `search_text` holds the words of its title, description and public replies, each reduced to its root
by the Snowball `norwegian` stemmer (PyStemmer) and folded like SQLite's `unicode61 remove_diacritics 2`
(é → e, å → a; æ and ø stay). Queries are prepared by the same function, so both databases see the same
tokens and answer alike:

- SQLite: the FTS5 table `desk_ticket_fts` indexes `desk_ticket.search_text` (external content, kept in step
  by triggers; migration 0002);
- PostgreSQL: the GIN index `ticket_search` on the stored column `search_vector`, generated as
  `to_tsvector('simple', search_text)` (migration 0002). The stemming is done already: PostgreSQL's
  `norwegian` configuration is the same Snowball stemmer (checked: the same stems for 1,821 Norwegian words,
  stop words aside), but it would stem the roots again and drop stop words that SQLite keeps, so the two
  databases would answer differently.

A word is reduced to a root by stemming until nothing changes: the stemmer takes one suffix per pass, so
`skrivar` → `skriv` but `skrivaren` → `skrivar` → `skriv`. The last word of a query matches as a prefix
while it is being typed. Internal notes are not indexed: an employee searching their own cases must not
learn what the agents wrote about them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import Stemmer
from django.db import connections, models
from django.db.models.expressions import Col, RawSQL
from django.db.models.lookups import In

MAX_QUERY = 200  # characters of a query that are read
MAX_WORDS = 8  # words of a query that are used
MAX_TOKEN = 60  # longer "words" (hashes, base64) are no use in a search and PostgreSQL refuses very long ones
MAX_ID = 2**63 - 1
COMMON = 10_000  # SQLite: above this many matching cases, a list walks its own index (see _matches)
WORD = re.compile(r"[^\W_]+")
NUMBER = re.compile(r"#?(\d{1,19})")
# Common words left out of a query of several words, so that "skrivar på kontoret" does not require "på".
STOP_WORDS = frozenset(
    [
        "og",
        "i",
        "på",
        "er",
        "det",
        "som",
        "en",
        "ei",
        "et",
        "eit",
        "til",
        "av",
        "for",
        "med",
        "har",
        "ikke",
        "ikkje",
        "om",
        "den",
        "de",
        "dei",
        "at",
        "så",
        "no",
        "nå",
        "jeg",
        "eg",
        "vi",
        "me",
        "du",
        "han",
        "hun",
        "ho",
        "seg",
        "sin",
        "kan",
        "vil",
        "skal",
        "må",
        "var",
        "ble",
        "vart",
        "fra",
        "frå",
        "men",
        "eller",
        "også",
        "ogso",
        "meg",
        "mitt",
        "min",
        "mi",
    ]
)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return Stemmer.Stemmer("norwegian")


@lru_cache(maxsize=20_000)
def root(word: str) -> str:
    """The word stemmed until stable, then folded: the token stored and searched for."""
    stem = _stemmer().stemWord
    while (shorter := stem(word)) != word:
        word = shorter
    return fold(word)


def fold(word: str) -> str:
    """Remove diacritics the way FTS5's unicode61 tokenizer does: é → e, å → a; æ and ø have none."""
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def words(text: str) -> list[str]:
    """The words of `text`, compatibility-normalised (ﬁ → fi) and case-folded."""
    return [
        word
        for word in WORD.findall(unicodedata.normalize("NFKC", text).casefold())
        if len(word) <= MAX_TOKEN
    ]


def tokens(text: str) -> list[str]:
    """The roots of the words of `text`, in order, repeats included."""
    return [root(word) for word in words(text)]


def document(*texts: str) -> str:
    """The stored search text: every root once, in order of first appearance."""
    return " ".join(dict.fromkeys(token for text in texts for token in tokens(text)))


def refresh_search_text(ticket: Any) -> None:
    """Set `ticket.search_text` from its title, description and public replies; the caller saves the case."""
    from torg.desk.models import Message

    replies: list[str] = []
    if ticket.pk:
        replies = list(
            Message.objects.filter(ticket=ticket, visibility=Message.Visibility.PUBLIC)
            .order_by("created_at", "id")
            .values_list("body", flat=True)
        )
    ticket.search_text = document(ticket.title, ticket.description, *replies)


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]  # roots that must all be present
    prefix: str  # and one that a root must start with ("" for none)
    number: int | None  # or: the case with this number

    def fts5(self) -> str:
        # Roots hold letters and digits only; quoting them anyway keeps AND, OR, NOT and NEAR words.
        return " ".join([f'"{w}"' for w in self.words] + ([f'"{self.prefix}"*'] if self.prefix else []))

    def tsquery(self) -> str:
        return " & ".join([*self.words, *([f"{self.prefix}:*"] if self.prefix else [])])


def parse(text: str) -> Query:
    """What a query asks for: `#123` is the case with that number; `123` that case or cases with the word."""
    text = unicodedata.normalize("NFKC", text[:MAX_QUERY]).casefold()
    match = NUMBER.fullmatch(text.strip())
    number = int(match.group(1)) if match and int(match.group(1)) <= MAX_ID else None
    if number is not None and text.strip().startswith("#"):
        return Query((), "", number)
    found = words(text)[:MAX_WORDS]
    # The last word is still being typed unless something (a space, a full stop) follows it. One letter is
    # not yet a prefix: it would expand to a large part of the index on every first keystroke.
    typing = bool(found) and len(found[-1]) > 1 and text.endswith(found[-1])
    done, last = (found[:-1], found[-1]) if typing else (found, "")
    kept = [word for word in done if word not in STOP_WORDS] if len(found) > 1 else done
    if not kept and not last:
        kept = done  # only common words: search for them after all
    prefix = root(last) if last else ""
    roots = tuple(r for r in dict.fromkeys(root(word) for word in kept) if r != prefix)
    return Query(roots, prefix, number)


def ticket_search(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """Cases holding every word of `text` (the last one as a prefix), or the case numbered `#123` or `123`.

    Narrows `queryset` (which went through `visible_to`) and keeps its order and other filters."""
    if not text.strip():
        return queryset
    query = parse(text)
    by_number = models.Q(pk=query.number) if query.number is not None else models.Q(pk__in=[])
    if not query.words and not query.prefix:
        return queryset.filter(by_number)
    return queryset.filter(by_number | _matches(queryset.db, query))


def _matches(alias: str, query: Query) -> models.Q:
    if connections[alias].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVectorExact

        tsquery = SearchQuery(query.tsquery(), config="simple", search_type="raw")
        return models.Q(SearchVectorExact(StoredVector(), tsquery))
    match = query.fts5()
    matching = RawSQL("SELECT rowid FROM desk_ticket_fts WHERE desk_ticket_fts MATCH %s", [match])
    if _common(alias, match):
        # SQLite takes FTS5's matches as few and starts from them: with many it looks up every one and sorts
        # them all (0.47 s for a word in a fifth of a million cases). `+id` keeps the list's own index in the
        # lead, and the matches become a set to check rows against (30 ms).
        return models.Q(In(Unindexed(models.F("pk")), matching))
    return models.Q(pk__in=matching)


def _common(alias: str, match: str) -> bool:
    """Whether more than COMMON cases match, read no further than that (a millisecond or two)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM desk_ticket_fts WHERE desk_ticket_fts MATCH %s LIMIT 1 OFFSET %s",
            [match, COMMON],
        )
        return cursor.fetchone() is not None


class Unindexed(models.Func):
    """`+column`: SQLite uses no index for the term and so does not start the query from it."""

    template = "+%(expressions)s"


class StoredVector(models.F):
    """PostgreSQL's `desk_ticket.search_vector`, the generated column of migration 0002 (not a model field)."""

    def __init__(self) -> None:
        super().__init__("search_text")

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Col:
        from django.contrib.postgres.search import SearchVectorField

        column = super().resolve_expression(*args, **kwargs)  # the table's alias in this query
        field = SearchVectorField()
        field.set_attributes_from_name("search_vector")
        return Col(column.alias, field)
