"""Which text encoding a CSV (or a scenario's YAML) is in, when the user did not say.

UTF-8 first (with or without BOM; UTF-16 with a BOM, as Excel's "Unicode text" saves). Else
GB18030, which Chinese Windows saves, but only where the text it gives is plausible Chinese: a
file in cp1252, Latin-1, cp1254 or Shift-JIS decodes as GB18030 almost always (every byte pair
from 0x81 on is some character), into rare hanzi: "Société" reads "Soci閠?". Plausible means at
least :data:`PLAUSIBLE_SHARE` of the non-ASCII characters are among the common hanzi (GB2312
level 1, rows 16-55: 3755 characters) or Chinese punctuation (GB2312 row 1, the CJK symbols and
punctuation block, full-width forms). The verdict is over the whole file, streamed in chunks and
counted with numpy (imported only here, on the non-UTF-8 path: UTF-8 files never pay for it).
Anything else is refused with one line showing what the text looked like and suggesting
``--encoding``: a wrong guess would garble importer names without a word.
"""

from __future__ import annotations

import codecs
import functools
from dataclasses import dataclass
from pathlib import Path

from cbam_calc.core.messages import Message

CHUNK = 8 << 20  # bytes read at a time (a chunk without a line break is carried to the next)
PLAUSIBLE_SHARE = 0.9
SAMPLE_CHARS = 40
LIKELY = Message("M_LIKELY_ENCODINGS")  # the encodings an error suggests for --encoding
# codecs whose bytes for a character may include ASCII bytes (a quote, a comma, a line break):
# their text cannot be split into lines on the bytes
_NOT_BYTE_SAFE = ("utf_16", "utf_32", "utf_7", "hz", "iso2022")


def codec_name(name: str) -> str | None:
    """Python's name of a text codec (``Shift-JIS`` -> ``shift_jis``), None if there is none."""
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib: not a text encoding
        return None
    return info.name


def byte_safe(encoding: str) -> bool:
    """Lines, quotes and delimiters of the text are its ASCII bytes (UTF-8, cp1252, GB18030,
    Shift-JIS...): the file can be split on its bytes and read by pyarrow from a byte offset."""
    name = (codec_name(encoding) or encoding).replace("-", "_")
    if name.startswith(_NOT_BYTE_SAFE):
        return False
    probe = "\r\n,;\t|\"'abcXYZ019 "
    try:
        return probe.encode(encoding) == probe.encode("ascii")
    except (UnicodeError, LookupError):
        return False


def is_utf8(encoding: str) -> bool:
    return (codec_name(encoding) or encoding).replace("-", "_") in ("utf_8", "utf_8_sig")


@functools.cache
def _plausible_table():
    """A bool per BMP code point: a character plausible in Chinese text. Derived by decoding the
    GB2312 rows (no list typed by hand), plus the Unicode punctuation and full-width blocks."""
    import numpy as np

    table = np.zeros(0x10000, dtype=bool)
    rows = [0xA1, *range(0xB0, 0xD8)]  # row 1 (punctuation), rows 16-55 (level-1 hanzi)
    for lead in rows:
        for trail in range(0xA1, 0xFF):
            try:
                ch = bytes((lead, trail)).decode("gb2312")
            except UnicodeDecodeError:  # row 55 ends at 0xD7F9
                continue
            table[ord(ch)] = True
    table[0x3000:0x3040] = True  # CJK symbols and punctuation
    table[0xFF00:0xFFF0] = True  # half-width and full-width forms
    return table


def level1_hanzi() -> int:
    """How many GB2312 level-1 hanzi the table has (3755, for the tests)."""
    t = _plausible_table()
    return int(t[0x4E00:0xA000].sum())


def breaks(text: str, after_cr: bool = False) -> int:
    """Line breaks in a text (CR, LF or CRLF end a line); ``after_cr``: the text before it ended
    with CR, so a first LF completes that CRLF."""
    n = text.count("\n") + text.count("\r") - text.count("\r\n")
    return n - 1 if after_cr and text.startswith("\n") else n


@dataclass
class Verdict:
    """The whole text read as GB18030: plausible Chinese or not, and where it first looked
    wrong (1-based line, a short sample) when it did."""

    plausible: bool
    line: int | None = None
    sample: str | None = None


class _Counter:
    """Non-ASCII and plausible characters of a text fed in pieces, and the first piece of text
    that is not plausible (its line and a sample around it)."""

    def __init__(self) -> None:
        self.other = self.plausible = 0
        self.lines = 0  # line breaks before the current piece (LF, or CR alone)
        self.cr = False  # the last piece ended with CR (a CRLF cut in two is one break)
        self.line: int | None = None
        self.sample: str | None = None

    def feed(self, text: str) -> None:
        import numpy as np

        if not text.isascii():
            units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
            high = np.count_nonzero(units >= 0x80)
            good = np.count_nonzero(_plausible_table()[units])  # ASCII and surrogates: False
            self.plausible += good
            self.other += high - good
            if self.line is None and good < high:
                odd = (units >= 0x80) & ~_plausible_table()[units]
                unit = int(np.argmax(odd))  # the first one not plausible, in UTF-16 units
                pairs = np.count_nonzero((units[:unit] >= 0xD800) & (units[:unit] < 0xDC00))
                self._first_odd(text, unit - pairs)
        self.lines += breaks(text, self.cr)
        self.cr = text.endswith("\r") if text else self.cr

    def _first_odd(self, text: str, at: int) -> None:
        """Keep the line and a sample of the text around ``text[at]``, the first odd character."""
        start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
        before = text[:start]
        self.line = self.lines + breaks(before, self.cr) + 1
        end = min((i for i in (text.find("\n", at), text.find("\r", at)) if i != -1), default=len(text))
        left = max(start, at - SAMPLE_CHARS // 2)
        self.sample = text[left : min(end, left + SAMPLE_CHARS)]

    def verdict(self) -> Verdict:
        share = self.plausible / (self.plausible + self.other) if self.plausible + self.other else 1.0
        return Verdict(bool(share >= PLAUSIBLE_SHARE), self.line, self.sample)


def _gb18030(piece: bytes) -> str:
    """GB18030 text of whole lines: GBK's decoder first (a third faster, and the same characters
    where it succeeds: CPython's GB18030 decoder is GBK's plus the code points GBK lacks)."""
    try:
        return piece.decode("gbk")
    except UnicodeDecodeError:
        return piece.decode("gb18030")


def gb18030_verdict(path: Path, utf8: bytearray | None = None) -> Verdict:
    """Is the whole file plausible Chinese in GB18030? Streamed: a chunk at a time, cut after its
    last CR or LF (never inside a character: no GB18030 byte after the first is either), so a file of any
    size costs one pass and a few chunks of memory. Bytes that are no GB18030 at all answer no,
    with the line they are on as the sample. ``utf8``: filled with the text as UTF-8."""
    counter = _Counter()
    rest = b""
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            data = rest + chunk
            cut = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1 if chunk else len(data)
            piece, rest = data[:cut], data[cut:]
            try:
                text = _gb18030(piece)
            except UnicodeDecodeError:
                counter.feed(piece.decode("gb18030", "replace"))  # U+FFFD: not plausible
                return Verdict(False, counter.line, counter.sample)
            counter.feed(text)
            if utf8 is not None:
                utf8 += text.encode("utf-8")
            if not chunk:
                return counter.verdict()


def text_verdict(text: str) -> Verdict:
    """:func:`gb18030_verdict` for a text already decoded as GB18030 (a scenario's YAML)."""
    counter = _Counter()
    counter.feed(text)
    return counter.verdict()


def not_chinese(verdict: Verdict) -> Message:
    """The one-line reason a file that is not UTF-8 is not read as GB18030 either."""
    seen = (
        Message("M_LINE_READS", line=verdict.line, sample=verdict.sample)
        if verdict.sample is not None
        else ""
    )
    return Message("E_NOT_UTF8_NOR_GB18030", seen=seen, likely=LIKELY)


def first_undecodable(path: Path, encoding: str) -> tuple[int, int, bytes] | None:
    """(byte offset, 1-based line, the bytes) of the first bytes the encoding cannot decode, or
    None. Streamed; the line is counted on the decoded text, so it is right for any codec."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = lines = 0
    cr = False
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as e:
                # e.object is what the decoder held: the bytes it kept back, then this chunk
                seen = e.object if isinstance(e.object, bytes | bytearray) else chunk
                head = bytes(seen[: max(e.start, 0)]).decode(encoding, "replace")
                lines += breaks(head, cr)
                return offset - pending + max(e.start, 0), lines + 1, bytes(seen[e.start : e.end])
            lines += breaks(text, cr)
            cr = text.endswith("\r") if text else cr
            offset += len(chunk)
            if not chunk:
                return None
