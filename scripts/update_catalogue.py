"""Keep the gettext catalogues of the message codes current.

    python scripts/update_catalogue.py          # write cbam_calc/locale/cbam_calc.pot, update the .po
    python scripts/update_catalogue.py --check  # exit 1 if either is not current (tests run this)

The English of each code is written once, in ``cbam_calc.core.messages.MESSAGES``; this script
writes it as the template ``cbam_calc/locale/cbam_calc.pot`` (msgctxt = the code, msgid = the
English) and merges it into each ``cbam_calc/locale/<locale>/LC_MESSAGES/cbam_calc.po`` the way
``pybabel update`` does: a new code gets an empty entry, a code whose English changed keeps its
old translation marked fuzzy (not shown until a translator checks it and removes the flag), a code
that is gone is dropped. The same merge by hand:

    pybabel update -i cbam_calc/locale/cbam_calc.pot -d cbam_calc/locale -D cbam_calc -l zh_CN

The .po is read at run time (babel.messages.pofile); there is no .mo to compile.

A run rewrites only the entries whose content changes: every other entry keeps the lines it has in
the file, however they are wrapped (``keeping_layout``), so a second run changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cbam_calc import __version__  # noqa: E402
from cbam_calc.core.messages import DOMAIN, LOCALE_DIR, LOCALES, MESSAGES  # noqa: E402

# fixed, so that the files change only when the messages do
DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
WIDTH = 100


def placeholders(text: str) -> list[str]:
    return [
        f"{{{name}{':' + spec if spec else ''}}}"
        for _, name, spec, _ in string.Formatter().parse(text)
        if name
    ]


def template() -> Catalog:
    cat = new_catalogue()
    for code, english in MESSAGES.items():
        names = placeholders(english)
        comments = [f"keep the placeholders: {' '.join(names)}"] if names else []
        cat.add(english, context=code, auto_comments=comments)
    return cat


HEADER = """\
# {title} of the cbam-calc message codes (msgctxt = the code).
# Written by scripts/update_catalogue.py from cbam_calc/core/messages.py; translate msgstr only.
# An entry marked fuzzy is a draft not yet checked: it is not shown until the flag is removed.
#"""


def new_catalogue(locale: str | None = None) -> Catalog:
    title = "Simplified Chinese texts" if locale == "zh_CN" else "English texts (the template)"
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        header_comment=HEADER.format(title=title),
        project="cbam-calc",
        version=__version__,
        copyright_holder="cbam-calc developers",
        msgid_bugs_address="",
        creation_date=DATE,
        revision_date=DATE,
        last_translator="cbam-calc developers",
        language_team="cbam-calc developers",
        fuzzy=False,
    )


def dump(cat: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, cat, width=WIDTH, ignore_obsolete=True, include_previous=False)
    # the Babel version is no content: leave it out, so that any Babel writes the same file
    lines = out.getvalue().splitlines(keepends=True)
    return b"".join(ln for ln in lines if not ln.startswith(b'"Generated-By: Babel'))


def _entries(data: bytes) -> list[bytes]:
    """The entries of a catalogue as written (the header first), each its lines; write_po
    separates them by one empty line, and an entry has none inside."""
    return data.split(b"\n\n")


def _said(entry: bytes) -> tuple:
    """What one entry says (code, English, translation, flags, comments), however it is wrapped."""
    return tuple(
        (
            m.context or "",
            m.id,
            m.string,
            tuple(sorted(m.flags)),
            tuple(m.auto_comments),
            tuple(m.user_comments),
        )
        for m in read_po(io.BytesIO(entry))
        if m.id
    )


def keeping_layout(new: bytes, old: bytes | None) -> bytes:
    """``new`` (as :func:`dump` writes it) with every entry that says what it says in ``old``
    written as ``old`` has it. An entry's line wrapping is then the one it was written with: Babel
    wraps at WIDTH characters between words (a Chinese text has few places to break, so its lines
    run long), a translator or another tool may wrap it otherwise, and what says the same is left
    as it is. Without this, each run that wrote the file for a new code rewrapped such an entry
    too: a change nobody made, in a file several branches edit. So a run changes only the entries
    whose content changes, and the next run changes nothing."""
    if old is None:
        return new
    kept: dict[tuple, bytes] = {}
    for entry in _entries(old)[1:]:  # the header is the template's
        kept.setdefault(_said(entry), entry)
    head, *entries = _entries(new)
    return b"\n\n".join([head, *(kept.get(_said(e), e) if e.strip() else e for e in entries)])


def content(data: bytes) -> list[tuple]:
    """What a catalogue says, whatever Babel wrote it (line wrapping, flags it adds)."""
    cat = read_po(io.BytesIO(data))
    return sorted((m.context or "", m.id, m.string, m.fuzzy, tuple(m.auto_comments)) for m in cat if m.id)


def updated(pot: Catalog, locale: str, path: Path) -> Catalog:
    if path.is_file():
        with open(path, "rb") as f:
            po = read_po(f, locale=locale, domain=DOMAIN)
    else:
        po = new_catalogue(locale)
    po.update(pot, update_header_comment=False, update_creation_date=True)
    po.revision_date = DATE
    po.obsolete.clear()
    return po


def catalogues(locale_dir: Path) -> dict[Path, bytes]:
    """The template and each locale's catalogue under ``locale_dir``, as the script writes them
    from MESSAGES and the files there now."""

    def written(path: Path, cat: Catalog) -> bytes:
        return keeping_layout(dump(cat), path.read_bytes() if path.is_file() else None)

    pot = template()
    pot_path = locale_dir / f"{DOMAIN}.pot"
    files = {pot_path: written(pot_path, pot)}
    for locale in LOCALES.values():
        path = locale_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        files[path] = written(path, updated(pot, locale, path))
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if not current")
    args = ap.parse_args(argv)
    files = catalogues(LOCALE_DIR)
    stale = [p for p, data in files.items() if not p.is_file() or content(p.read_bytes()) != content(data)]
    if args.check:
        for p in stale:
            print(f"not current: {p.relative_to(ROOT)} (run python scripts/update_catalogue.py)")
        return 1 if stale else 0
    for p in stale:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(files[p])
        print(f"wrote {p.relative_to(ROOT)}")
    untranslated = []
    for locale in LOCALES.values():
        with open(LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
            po = read_po(f, locale=locale, domain=DOMAIN)
        untranslated += [f"{locale} {m.context}" for m in po if m.id and (not m.string or m.fuzzy)]
    if untranslated:
        print(f"{len(untranslated)} entries to translate or check (empty or fuzzy):")
        print("  " + "\n  ".join(untranslated))
    return 0


if __name__ == "__main__":
    sys.exit(main())
