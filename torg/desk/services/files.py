"""Which files a case accepts, decided from their first bytes rather than their names."""

from __future__ import annotations

import codecs

# Signatures of the kinds of file a service desk receives: documents, screenshots, logs.
SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/vnd.ms-office"),
]


def sniff_content_type(content: bytes, name: str = "") -> str | None:
    """The content type of an accepted file, or None for anything else (executables, HTML, SVG with script …)."""
    for magic, content_type in SIGNATURES:
        if content.startswith(magic):
            return content_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return "text/plain" if _is_plain_text(content) else None


def _is_plain_text(content: bytes) -> bool:
    sample = content[:8192]
    if b"\x00" in sample:
        return False
    try:
        # Incremental, so a character cut at the sample's end is not taken for bad UTF-8.
        text = codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        try:
            text = sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    lowered = text.lstrip().lower()
    # Markup a browser would run is not plain text, whatever its name.
    return not lowered.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script"))
