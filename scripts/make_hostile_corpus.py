"""Build tests/data/hostile/: the small hostile and broken inputs of issue 11, one folder per area.

Each module of scripts/corpus/ builds one area (``AREA``, a folder name) with ``build(folder)``;
its files are deterministic (fixed zip timestamps, no random state), so the committed corpus is
exactly what this script writes, and tests/test_hostile_corpus.py checks that it still is.

    python scripts/make_hostile_corpus.py            rebuild tests/data/hostile/
    python scripts/make_hostile_corpus.py --check    exit 1 if a committed file differs
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_MODULES = Path(__file__).resolve().parent / "corpus"
DEST = ROOT / "tests" / "data" / "hostile"


def areas() -> list:
    """The builder modules of scripts/corpus/, in name order."""
    out = []
    # builders share helpers (`from _zipfixed import write_zip`); appended, never first, so an area
    # named like a standard module (csv.py, numbers.py) cannot shadow it
    if str(CORPUS_MODULES) not in sys.path:
        sys.path.append(str(CORPUS_MODULES))
    for path in sorted(CORPUS_MODULES.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"corpus_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out.append(module)
    return out


def build(dest: Path) -> None:
    for module in areas():
        folder = dest / module.AREA
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        module.build(folder)


def differences(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two trees (missing on either side, or other bytes)."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    out = [str(p) for p in sorted(files_a ^ files_b)]
    out += [str(p) for p in sorted(files_a & files_b) if not filecmp.cmp(a / p, b / p, shallow=False)]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare with the committed corpus, write nothing")
    args = ap.parse_args(argv)
    if not args.check:
        build(DEST)
        print(f"wrote {sum(1 for p in DEST.rglob('*') if p.is_file())} files under {DEST.relative_to(ROOT)}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp))
        diff = differences(Path(tmp), DEST)
    for d in diff:
        print(f"differs: {d}", file=sys.stderr)
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
