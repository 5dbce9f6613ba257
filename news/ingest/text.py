"""Decoding raw bytes and normalising text: the first step of every import."""

from __future__ import annotations

import re
import unicodedata


class UnreadableInput(ValueError):
    """The bytes are not a text document (binary, empty, undecodable)."""


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13, 12))
    return controls > len(sample) * 0.05


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 without BOM: every other byte of ASCII text is zero."""
    sample = raw[:2000]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / len(sample[0::2])
    odd_zeros = sample[1::2].count(0) / len(sample[1::2])
    if odd_zeros > 0.3 and even_zeros < 0.05:
        encoding = "utf-16-le"
    elif even_zeros > 0.3 and odd_zeros < 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode a scraped file: UTF-8 (with or without BOM), UTF-16, else CP1252/Latin-1.

    Returns ``(text, encoding)``. Raises ``UnreadableInput`` for empty or binary content.
    """
    if not raw.strip():
        raise UnreadableInput("fichier vide")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise UnreadableInput(f"UTF-16 illisible ({error.reason})") from error
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return utf16, "utf-16"
    if _looks_binary(raw):
        raise UnreadableInput("fichier binaire, pas du texte")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # CP1252 leaves five bytes undefined; Latin-1 maps every byte.
        return raw.decode("latin-1"), "latin-1"


def normalize_text(text: str) -> str:
    """NFC, LF line ends, ordinary spaces, no control or zero-width characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()
