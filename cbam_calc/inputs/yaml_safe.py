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
from cbam_calc.core.messages import Message

MAX_BYTES = 1 << 20
MAX_DEPTH = 64
MAX_NODES = 100_000


def _text(raw: bytes, p: Path, what: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from cbam_calc.inputs.encodings import text_verdict

    try:
        text = raw.decode("gb18030")  # as csv_arrow reads a CSV that is not UTF-8
    except UnicodeDecodeError:
        raise OptionError(Message("E_YAML_NOT_UTF8", path=str(p), what=what)) from None
    verdict = text_verdict(text)  # and only where it reads as Chinese, as there
    if not verdict.plausible:
        raise OptionError(
            Message(
                "E_YAML_NOT_UTF8_NOR_GB18030",
                path=str(p),
                what=what,
                line=verdict.line,
                sample=verdict.sample,
            )
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
                    Message("E_YAML_TOO_DEEP", path=str(p), what=what, depth=MAX_DEPTH, line=line)
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
                    Message("E_YAML_TOO_MANY_VALUES", path=str(p), what=what, limit=f"{MAX_NODES:,}")
                )
            continue
        if key in size:
            continue
        if key in on_path:
            raise OptionError(Message("E_YAML_SELF_ALIAS", path=str(p), what=what))
        on_path.add(key)
        stack.append((node, True))
        for k in _children(node, yaml):
            if id(k) in on_path:
                raise OptionError(Message("E_YAML_SELF_ALIAS", path=str(p), what=what))
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
    not valid YAML. An empty file is ``None``. ``what`` is the kind of file, a key of the
    ``file_kind`` vocabulary (core.labels: shown in the run's language)."""
    import yaml

    p = Path(str(path))
    if not p.is_file():
        raise OptionError(Message("E_YAML_NO_SUCH", path=str(p), what=what))
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise OptionError(
                Message("E_YAML_TOO_BIG", path=str(p), what=what, size=f"{size:,}", limit=f"{MAX_BYTES:,}")
            )
        raw = p.read_bytes()
    except OSError as e:
        reason = e.strerror or str(e)  # the OS's own words
        raise OptionError(Message("E_YAML_UNREADABLE", path=str(p), what=what, reason=reason)) from None
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
        # the parser's detail is quoted as it gives it: a technical detail, with its line and column
        raise OptionError(Message("E_YAML_INVALID", path=str(p), what=what, detail=detail)) from None
    except RecursionError:  # the depth check should make this impossible; never a traceback
        raise OptionError(Message("E_YAML_TOO_NESTED", path=str(p), what=what)) from None
