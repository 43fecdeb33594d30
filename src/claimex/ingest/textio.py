"""Turning the bytes of an input file into clean text (no spaCy, no I/O).

Two plain functions:

* :func:`decode_bytes` decides how a file's bytes are encoded and decodes them,
  or raises :class:`DecodeError` (a :class:`~claimex.errors.ClaimexError`) when
  the bytes are not text.
* :func:`normalise_text` applies the one normalisation every stored document
  text goes through; all character offsets downstream refer to its output.

Decoding policy, in order (each step only runs when the previous ones did not
decide):

1. **Byte order mark.**  A UTF-32, UTF-16 or UTF-8 BOM decides the encoding.
   The BOM itself is dropped.  A UTF-16 BOM followed by bytes that are plainly
   ASCII text, not UTF-16 (8 bytes or more, no NUL, 95 % printable ASCII, half
   of them letters, a space or newline: an ASCII file that starts with
   ``\xff\xfe``) is a bogus mark: it is ignored,
   the rest decoded from step 2 on, and the note ``bogus_bom`` recorded
   (warning ``W010``).
2. **Known binary formats** (PDF, PNG, JPEG, GIF, ZIP/Office, gzip, OLE, ELF)
   are recognised by their magic number -> ``E014``.
3. **NUL bytes.**  Text without a BOM holds NUL bytes only when it is UTF-16:
   if NULs sit (almost) only at odd offsets the file is decoded as UTF-16-LE,
   only at even offsets as UTF-16-BE (BOM-less UTF-16 of mostly Latin text;
   note ``bomless_utf16``, warning ``W011``).
   Any other file with NUL bytes is binary -> ``E014``.  So is a file in which
   more than 10 % of the bytes are C0 control characters (other than tab,
   newline, vertical tab, form feed and carriage return).
4. **UTF-8**, strictly.  Pure ASCII is UTF-8.
5. **Mostly UTF-8 with a few bad bytes.**  When the data holds valid multi-byte
   UTF-8 sequences (or a cut-short one of at least two bytes) and these are at
   least as many as the stray invalid bytes, the file is UTF-8 that was
   damaged, and it is decoded as UTF-8 with a deliberate repair:

   * a *cut-short* multi-byte sequence (a lead byte followed by fewer
     continuation bytes than it announces: a truncated final character, or a
     character cut in the middle of the file) becomes one U+FFFD
     REPLACEMENT CHARACTER; so does a lone lead byte at the very end;
   * a *single stray byte* (e.g. a Windows-1252 quote pasted into UTF-8 text)
     becomes its Windows-1252 character.

   The document is kept and nothing is recorded as an error: the damage is
   confined to the bytes named above.  A file whose only non-ASCII byte is a
   lone lead byte at the very end (``b"caf\\xe9"``) carries no evidence of
   UTF-8 at all and goes to step 7, which reads it as Windows-1252 ("café").
6. **Declared charset** (``declared=``, e.g. the ``<meta charset>`` of an HTML
   page) when it names a codec that decodes the bytes.
7. **Legacy single/multi-byte encodings**, detected with charset-normalizer.
   charset-normalizer is unreliable on short Western-European text (it picks
   cp1125 for ``b"caf\\xe9 \\x93quoted\\x94"``), so when its best guess decodes
   to mostly *Latin-script* letters the result is compared with Windows-1252
   (the encoding of nearly all legacy English web text; it is a superset of the
   printable part of Latin-1) and Windows-1252 wins unless it puts more
   symbols inside words (``Za¿ó³æ``) than the guess does (``Zażółć``).
   A guess in another script (Cyrillic cp1251, Japanese cp932, ...) is used
   as is.  When charset-normalizer finds nothing that fits -> ``E015``.
"""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata

from ..errors import ClaimexError, Errors

__all__ = ["DecodeError", "decode_bytes", "normalise_text"]


class DecodeError(ClaimexError):
    """The bytes of a file could not be turned into text.

    ``code`` is the error code (``"E014"`` binary, ``"E015"`` undecodable).
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------
# decoding

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Microsoft Office document"),
    (b"\x7fELF", "executable program"),
)

# C0 controls that never occur in text (tab, LF, VT, FF, CR excluded).
_C0_BINARY = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13))
_MAX_CONTROL_SHARE = 0.10
_UTF16_SAMPLE = 8192

_local = threading.local()


def _cp1252_char(byte: int) -> str:
    """Windows-1252 character of one byte; its 5 undefined bytes map as Latin-1."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_CP1252_TABLE = "".join(_cp1252_char(b) for b in range(256))
_CP1252_MAP = {i: _CP1252_TABLE[i] for i in range(0x80, 0xA0)}


def _utf8_repair(exc: UnicodeError) -> tuple[str, int]:
    """codecs error handler for step 5 of the decoding policy (see module doc)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    stats = _local.stats
    bad = exc.object[exc.start:exc.end]
    if len(bad) >= 2:  # lead byte + continuation byte(s), cut short
        stats[0] += 1
        return "\ufffd", exc.end
    if exc.reason == "unexpected end of data":  # a lone lead byte ends the data
        stats[1] += 1
        return "\ufffd", exc.end
    stats[2] += 1
    return _CP1252_TABLE[bad[0]], exc.end


codecs.register_error("claimex.utf8repair", _utf8_repair)


def _truncated_final(data: bytes, encoding: str, name: str) -> str:
    """Decode UTF-16/32 data; a cut-short final code unit becomes U+FFFD."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.reason in ("truncated data", "unexpected end of data") and exc.end == len(data):
            try:
                return data[:exc.start].decode(encoding) + "\ufffd"
            except UnicodeDecodeError as inner:
                exc = inner
        raise DecodeError(Errors.E015.format(
            path=name, reason=f"invalid {encoding.upper()} at byte {exc.start}: {exc.reason}"), "E015") from None


def _bomless_utf16(data: bytes) -> str | None:
    """Decode BOM-less UTF-16 of mostly-Latin text, or return None."""
    if len(data) % 2:
        return None
    sample = data[:_UTF16_SAMPLE]
    half = len(sample) // 2
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd >= 0.4 and even <= 0.05:
        encoding = "utf-16-le"
    elif even >= 0.4 and odd <= 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text[:_UTF16_SAMPLE] if ch < " " and ch not in "\t\n\x0b\x0c\r")
    if controls > 0.01 * min(len(text), _UTF16_SAMPLE):
        return None
    return text


def _is_latin_script(text: str) -> bool:
    letters = latin = 0
    for ch in text[:20000]:
        if ch.isalpha():
            letters += 1
            if ord(ch) < 0x250 or unicodedata.name(ch, "").startswith("LATIN"):
                latin += 1
    return letters == 0 or latin / letters >= 0.5


def _junk_in_words(text: str) -> int:
    """Count symbol characters squeezed between two letters (signs of mojibake)."""
    count = 0
    sample = text[:100000]
    for i in range(1, len(sample) - 1):
        ch = sample[i]
        if ch.isalpha() or ch.isspace() or ch in "'’‘-.·":
            continue
        if sample[i - 1].isalpha() and sample[i + 1].isalpha():
            cat = unicodedata.category(ch)
            if cat in ("No", "So", "Sk", "Sm", "Sc", "Co", "Cn", "Cc") or ch in "¿¡¦":
                count += 1
    return count


_NOT_LEGACY = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]


def _legacy(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    # BOM-less UTF-16/32 was handled by the NUL-byte check; without NULs the
    # detector's UTF-16 guesses are CJK gibberish made from Latin bytes.
    best = from_bytes(data, cp_exclusion=_NOT_LEGACY).best()
    if best is None:
        raise DecodeError(Errors.E015.format(
            path=name, reason="not UTF-8, UTF-16 or any known legacy encoding"), "E015")
    guess = str(best)
    cp1252 = data.decode("latin-1").translate(_CP1252_MAP)
    if best.encoding in ("cp1252", "latin_1", "ascii") or _is_latin_script(guess):
        if _junk_in_words(guess) < _junk_in_words(cp1252):
            return guess
        return cp1252
    return guess


_PRINTABLE_ASCII = bytes([9, 10, 13]) + bytes(range(0x20, 0x7F))
_ASCII_LETTERS = bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B))


def _bogus_utf16_bom(body: bytes) -> bool:
    """True when the bytes after a UTF-16 BOM are plainly ASCII text, not UTF-16 (step 1)."""
    if len(body) < 8 or b"\x00" in body:
        return False
    printable = len(body) - len(body.translate(None, _PRINTABLE_ASCII))
    letters = len(body) - len(body.translate(None, _ASCII_LETTERS))
    spaces = body.count(b" ") + body.count(b"\n")
    # UTF-16 whose every byte is an ASCII letter or space is CJK text made of ~4 % of its
    # characters: a few such characters in a row are possible, eight bytes of them are not.
    return printable >= 0.95 * len(body) and letters >= 0.5 * len(body) and spaces >= 1


def decode_bytes(data: bytes, path: str, *, declared: str | None = None,
                 notes: list[str] | None = None) -> str:
    """Decode the bytes of one input file to ``str`` (see the module docstring).

    ``path`` is the name shown in error messages (the source name).
    ``declared`` is an encoding the file itself declares (HTML ``<meta
    charset>``); it is tried only for bytes that are neither UTF-8 nor carry
    a BOM.  The returned text still needs :func:`normalise_text`.

    Raises :class:`DecodeError` with code ``E014`` (binary) or ``E015``
    (no encoding fits).  ``notes``, when given, receives ``"bogus_bom"`` or
    ``"bomless_utf16"`` when step 1 or 3 decided so (the caller warns).
    """
    if not data:
        return ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            if encoding == "utf-8":
                return _decode_utf8(body, path, bom=True)
            if encoding.startswith("utf-16") and _bogus_utf16_bom(body):
                if notes is not None:
                    notes.append("bogus_bom")
                data = body
                break
            return _truncated_final(body, encoding, path)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(Errors.E014.format(path=path, reason=kind), "E014")
    if b"\x00" in data:
        text = _bomless_utf16(data)
        if text is not None:
            if notes is not None:
                notes.append("bomless_utf16")
            return text
        raise DecodeError(Errors.E014.format(path=path, reason="contains NUL bytes"), "E014")
    n_control = len(data) - len(data.translate(None, _C0_BINARY))
    if n_control > _MAX_CONTROL_SHARE * len(data):
        share = round(100 * n_control / len(data))
        raise DecodeError(Errors.E014.format(path=path, reason=f"{share}% control bytes"), "E014")
    return _decode_utf8(data, path, bom=False, declared=declared)


def _decode_utf8(data: bytes, path: str, *, bom: bool, declared: str | None = None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # [cut-short sequences of >= 2 bytes, lone lead byte at the end, stray bytes]
    _local.stats = stats = [0, 0, 0]
    repaired = data.decode("utf-8", errors="claimex.utf8repair")
    partial, lone_end, stray = stats
    non_ascii = len(repaired) - len(repaired.encode("ascii", "ignore"))
    valid_multi = non_ascii - partial - lone_end - stray
    evidence = valid_multi + partial
    if bom or (evidence >= 1 and evidence >= stray):
        return repaired
    if declared:
        text = _decode_declared(data, declared)
        if text is not None:
            return text
    return _legacy(data, path)


def _decode_declared(data: bytes, declared: str) -> str | None:
    try:
        name = codecs.lookup(declared.strip().strip("'\"")).name
    except (LookupError, ValueError):
        return None
    if name in ("latin-1", "iso8859-1", "ascii", "cp1252"):
        # As browsers do: these labels all mean Windows-1252.
        return data.decode("latin-1").translate(_CP1252_MAP)
    if name.startswith(("utf-16", "utf-32")) or name == "utf-8":
        return None  # a UTF-8 declaration on non-UTF-8 bytes is wrong; guess instead
    try:
        return data.decode(name)
    except UnicodeDecodeError:
        return None


# --------------------------------------------------------------------------
# normalisation

_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_UNUSUAL = re.compile(r"[\r\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029\ud800-\udfff]")
_TRAILING_SPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """Return the normalised form of ``text``; idempotent.

    In this order:

    1. line breaks: CRLF, CR, vertical tab, form feed, NEL and U+2028 become
       ``\\n``; U+2029 PARAGRAPH SEPARATOR becomes a blank line (``\\n\\n``);
    2. control characters other than ``\\n`` and ``\\t`` are removed, and so is
       every U+FEFF (byte order mark / zero-width no-break space);
       lone surrogates (possible from JSON ``"\\ud800"`` escapes) become U+FFFD;
    3. Unicode NFC;
    4. trailing whitespace (any Unicode space, including no-break space) is
       removed from every line;
    5. three or more consecutive newlines (two or more blank lines) become one
       blank line;
    6. leading and trailing whitespace of the whole text is removed.

    Tabs, leading indentation of lines other than the first, and zero-width
    format characters such as U+200B/U+200D are kept.  The five seed articles
    are already in this form: ``normalise_text(seed) == seed.strip() == seed``.
    """
    if _UNUSUAL.search(text):  # most texts hold none of these: skip three passes
        if "\u2029" in text:
            text = text.replace("\u2029", "\n\n")
        text = _LINE_BREAKS.sub("\n", text)
        text = _CONTROLS.sub("", text)
        text = _SURROGATES.sub("\ufffd", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "\n" in text:  # on one line, the final strip() does what these two do
        text = _TRAILING_SPACE.sub("", text)
        if "\n\n\n" in text:
            text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()
