"""A YAML file a user gives (``cbam scenario --config``), read so that no file can hurt.

``yaml.safe_load`` runs no code, but it still trusts the shape of the file: a file of 100,000 ``[``
ends in RecursionError, a few lines of anchors and aliases ("billion laughs") stand for billions of
values that whatever walks the document (validation, ``model_dump``) expands, a huge file is read
whole, and bytes that are not UTF-8 end in UnicodeDecodeError. Here each of these is bounded
before the document is built, and refused with one line naming the file and what to do:

- at most ``MAX_BYTES`` bytes (a scenario file is a page of YAML);
- UTF-8 (with or without BOM) or, as for CSV files, GB18030 (what Chinese Windows saves) where
  the text reads as Chinese (:mod:`cbam_calc.inputs.encodings`); anything else: "save it as UTF-8";
- nesting at most ``MAX_DEPTH`` deep, checked on the tokens (the scanner does not recurse);
- at most ``MAX_NODES`` values once every alias is expanded, counted on the composed node graph
  (each node once: linear in the file however many times it is aliased); an alias inside its own
  anchor (a document that contains itself) is refused.
"""

from __future__ import annotations

from pathlib import Path

from cbam_calc.core.errors import OptionError

MAX_BYTES = 1 << 20
MAX_DEPTH = 64
MAX_NODES = 100_000


def _text(raw: bytes, p: Path, what: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from cbam_calc.inputs.encodings import text_verdict

    refused = f"{p}: this {what} is not UTF-8: save it as UTF-8 and run again"
    try:
        text = raw.decode("gb18030")  # as csv_arrow reads a CSV that is not UTF-8
    except UnicodeDecodeError:
        raise OptionError(refused) from None
    verdict = text_verdict(text)  # and only where it reads as Chinese, as there
    if not verdict.plausible:
        raise OptionError(
            f'{refused} (nor is it Chinese GB18030: line {verdict.line} would read "{verdict.sample}")'
        )
    return text


def _check_depth(text: str, p: Path, what: str) -> None:
    import yaml

    opens = (
        yaml.FlowSequenceStartToken,
        yaml.FlowMappingStartToken,
        yaml.BlockSequenceStartToken,
        yaml.BlockMappingStartToken,
    )
    closes = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)
    depth = 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, opens):
            depth += 1
            if depth > MAX_DEPTH:
                line = token.start_mark.line + 1
                raise OptionError(
                    f"{p}: this {what} is nested more than {MAX_DEPTH} levels deep (line {line}): "
                    "check its brackets and indentation"
                )
        elif isinstance(token, closes):
            depth -= 1


def _check_size(root, p: Path, what: str) -> None:
    """Values in the document once aliases are expanded; each node is visited once."""
    import yaml

    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            kids = _children(node, yaml)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            if size[key] > MAX_NODES:
                raise OptionError(
                    f"{p}: this {what} stands for more than {MAX_NODES:,} values once its aliases "
                    "(*name) are expanded: write the scenarios out instead of nesting aliases"
                )
            continue
        if key in size:
            continue
        if key in on_path:
            raise OptionError(f"{p}: this {what} has an alias inside its own anchor (it contains itself)")
        on_path.add(key)
        stack.append((node, True))
        for k in _children(node, yaml):
            if id(k) in on_path:
                raise OptionError(f"{p}: this {what} has an alias inside its own anchor (it contains itself)")
            if id(k) not in size:
                stack.append((k, False))


def _children(node, yaml) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [x for kv in node.value for x in kv]
    return []


def read_yaml(path: str | Path, what: str = "scenario file"):
    """The document of a YAML file a user gave, bounded (module docstring); OptionError naming
    the file for one that is missing, too big, not UTF-8, too deep, too large once expanded, or
    not valid YAML. An empty file is ``None``."""
    import yaml

    p = Path(str(path))
    if not p.is_file():
        raise OptionError(f"{p}: no such {what}")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise OptionError(
                f"{p}: this {what} is {size:,} bytes; a {what} is at most {MAX_BYTES:,} bytes of YAML"
            )
        raw = p.read_bytes()
    except OSError as e:
        raise OptionError(f"{p}: cannot read this {what} ({e.strerror or e})") from None
    text = _text(raw, p, what)
    try:
        _check_depth(text, p, what)
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_size(node, p, what)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        detail = " ".join(str(e).split())
        raise OptionError(f"{p}: this {what} is not valid YAML ({detail})") from None
    except RecursionError:  # the depth check should make this impossible; never a traceback
        raise OptionError(f"{p}: this {what} is nested too deeply to read") from None
