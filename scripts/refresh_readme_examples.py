"""Refresh the figures of the README's worked examples from what the commands print now.

    python scripts/refresh_readme_examples.py [--check]

Each block "```\\n$ cbam ...\\n<lines>```" of README.md is run; a shown line the command no longer
prints is replaced by the printed line with the longest common start (the same row label), so a
change of figures updates the README without rewriting its selection of lines. A line with no
plausible twin (common start under 8 characters) is left as it is and reported: tests/test_readme.py
then says which. --check only reports.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```\n\$ (cbam [^\n]+)\n(.*?)```", re.S)


def common(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def printed_by(command: str) -> list[str]:
    from cbam_calc.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(shlex.split(command)[1:])
    return out.getvalue().splitlines()


def main(argv: list[str]) -> int:
    check = "--check" in argv
    os.chdir(REPO)
    path = REPO / "README.md"
    text = path.read_text(encoding="utf-8")
    changed = 0

    def refresh(m: re.Match) -> str:
        nonlocal changed
        command, body = m.group(1), m.group(2)
        printed = printed_by(command)
        lines = body.splitlines()
        for i, line in enumerate(lines):
            if line.strip() in ("", "...") or line in printed:
                continue
            best = max(printed, key=lambda p: common(p, line), default="")
            if common(best, line) < 8:
                print(f"no twin for {line!r} in `{command}`", file=sys.stderr)
                continue
            print(f"- {line}\n+ {best}")
            lines[i] = best
            changed += 1
        return f"```\n$ {command}\n" + "".join(x + "\n" for x in lines) + "```"

    new = BLOCK.sub(refresh, text)
    if changed and not check:
        path.write_text(new, encoding="utf-8")
    print(f"{changed} line(s) {'to refresh' if check else 'refreshed'}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
