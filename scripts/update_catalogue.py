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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if not current")
    args = ap.parse_args(argv)
    pot = template()
    files = {LOCALE_DIR / f"{DOMAIN}.pot": dump(pot)}
    for locale in LOCALES.values():
        path = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        files[path] = dump(updated(pot, locale, path))
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
