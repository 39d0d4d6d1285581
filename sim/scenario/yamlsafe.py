"""Bounded, located, plain-data YAML reading.

Why not ``yaml.safe_load``: it forgets where each value came from (so errors cannot be located),
silently keeps the last of two duplicate keys, reads YAML 1.1 surprises (``12:30`` → 750,
``NO`` → False), and has no bound on alias expansion, nesting or size. Here libyaml's event parser
(fast, C, no object construction) feeds a small iterative composer that enforces the limits below,
then a converter produces plain ``dict``/``list``/scalars with a mark for every path.

Limits (documented in docs/limits.md and the README): a file larger than :data:`MAX_BYTES` is
refused before it is read; nesting deeper than :data:`MAX_DEPTH` and documents that expand (through
aliases) to more than :data:`MAX_NODES` nodes are refused with the location where the limit was hit.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.errors import InputError, Problem, Refusal

try:  # pragma: no cover - the wheel ships libyaml; the pure parser is the fallback
    from yaml._yaml import CParser as _Parser

    _C = True
except ImportError:  # pragma: no cover
    _C = False

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 500_000

PathT = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_INT = re.compile(r"^[-+]?(?:[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


@dataclass(slots=True)
class _Scalar:
    value: str
    tag: str | None
    plain: bool
    mark: tuple[int, int]


@dataclass(slots=True)
class _Seq:
    items: list[Any]
    mark: tuple[int, int]


@dataclass(slots=True)
class _Map:
    items: list[tuple[Any, Any]]
    mark: tuple[int, int]


@dataclass(slots=True)
class _Alias:
    target: Any
    mark: tuple[int, int]


@dataclass
class Document:
    """Plain data read from YAML plus where every value and key came from.

    Attributes:
        file: Name used in problems.
        data: The root value (plain dict/list/str/int/float/bool/None).
        marks: ``path → (line, column)`` of each value (1-based).
        key_marks: ``path → (line, column)`` of the key that introduced the value.
        text: The decoded source text.
        sha256: Hash of the raw bytes: replay detects a changed scenario file by it.
    """

    file: str
    data: Any
    marks: dict[PathT, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[PathT, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    sha256: str = ""
    problems: list[Problem] = field(default_factory=list)

    def where(self, path: PathT, *, key: bool = False) -> tuple[int, int]:
        """Best location for ``path``: the value (or key), else the nearest ancestor that exists."""
        p = tuple(path)
        while True:
            if key and p in self.key_marks:
                return self.key_marks[p]
            if p in self.marks:
                return self.marks[p]
            if not p:
                return (1, 1)
            p = p[:-1]

    def problem(self, path: PathT, message: str, expected: str = "", *, key: bool = False,
                severity: str = "error") -> Problem:
        """Build a located :class:`Problem` for ``path``."""
        line, col = self.where(path, key=key)
        return Problem(self.file, line, col, dotted(path), message, expected, severity)


def dotted(path: PathT) -> str:
    """``('teams', 'a', 'caps', 2)`` → ``teams.a.caps[2]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def decode(raw: bytes, file: str) -> str:
    """Decode scenario bytes: UTF-8 (BOM allowed), or UTF-16/32 with a BOM; refuse anything else.

    Raises:
        Refusal: binary data or a non-UTF-8 file, located at the first bad byte.
    """
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError as exc:
                raise Refusal([Problem(file, 1, 1, "", f"invalid {enc} text at byte {exc.start}",
                                       "UTF-8 text")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        nul = b"\x00" in raw[:4096]
        hint = ("binary data, or UTF-16 without a byte-order mark" if nul
                else "was it saved as GBK or Latin-1? re-save as UTF-8")
        raise Refusal([Problem(file, line, col, "", f"byte 0x{raw[exc.start]:02X} is not UTF-8 ({hint})",
                               "UTF-8 text")]) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise Refusal([Problem(file, line, 1, "", "NUL character: this looks like a binary file",
                               "UTF-8 text")])
    return text


def read_document(path: str | Path, *, display: str | None = None, max_bytes: int = MAX_BYTES) -> Document:
    """Read and compose a YAML file with limits; raise :class:`InputError` with located problems."""
    p = Path(path)
    name = display or str(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise Refusal([Problem(name, 0, 0, "", f"cannot read file: {exc.strerror}", "a readable file")]) from None
    if p.is_dir():
        raise Refusal([Problem(name, 0, 0, "", "is a directory", "a YAML file")])
    if size > max_bytes:
        raise Refusal([Problem(name, 0, 0, "", f"file is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.0f} "
                               "MiB limit for scenarios", f"a file under {max_bytes // 2**20} MiB")])
    with p.open("rb") as fh:
        raw = fh.read(max_bytes + 1)
    return parse_document(raw, name)


def parse_document(raw: bytes | str, file: str = "<string>") -> Document:
    """Parse bytes or text into a :class:`Document`; see module docstring for the guarantees."""
    import hashlib

    if isinstance(raw, str):
        raw_bytes = raw.encode("utf-8")
        text = raw
    else:
        raw_bytes = raw
        if len(raw_bytes) > MAX_BYTES:
            raise Refusal([Problem(file, 0, 0, "", "document over the size limit", f"under {MAX_BYTES} bytes")])
        text = decode(raw_bytes, file)
    root = _compose(text, file)
    doc = Document(file=file, data=None, text=text, sha256=hashlib.sha256(raw_bytes).hexdigest())
    if root is None:
        raise InputError([Problem(file, 1, 1, "", "the file is empty",
                                  "a YAML mapping starting with `drillsim: 1`")])
    conv = _Converter(doc)
    doc.data = conv.convert(root, (), 0)
    return doc


def _mark(event: Any) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _compose(text: str, file: str) -> Any:
    """Build a node tree from parser events without recursion; enforce depth and node limits."""
    if _C:
        parser = _Parser(text)
    else:  # pragma: no cover
        parser = yaml.SafeLoader(text)
    anchors: dict[str, Any] = {}
    stack: list[tuple[Any, str | None]] = []  # (open collection node, its anchor)
    root: Any = None
    docs = 0
    nodes = 0

    def attach(node: Any) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1][0]
        if isinstance(parent, _Seq):
            parent.items.append(node)
        else:
            items = parent.items
            if items and items[-1][1] is _PENDING:
                items[-1] = (items[-1][0], node)
            else:
                items.append((node, _PENDING))

    try:
        while parser.check_event():
            ev = parser.get_event()
            name = type(ev).__name__
            if name == "DocumentStartEvent":
                docs += 1
                if docs > 1:
                    raise InputError([Problem(file, *_mark(ev), "", "a second YAML document (---)",
                                              "exactly one document per scenario file")])
                continue
            if name in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
                continue
            nodes += 1
            if nodes > MAX_NODES:
                raise Refusal([Problem(file, *_mark(ev), "", f"more than {MAX_NODES} YAML nodes",
                                       "a scenario of reasonable size")])
            if name == "ScalarEvent":
                plain = ev.implicit[0] and getattr(ev, "style", None) in (None, "")
                node = _Scalar(ev.value, _tag(ev.tag), bool(plain), _mark(ev))
                if ev.anchor:
                    anchors[ev.anchor] = node
                attach(node)
            elif name == "AliasEvent":
                if ev.anchor not in anchors:
                    raise InputError([Problem(file, *_mark(ev), "", f"alias *{ev.anchor} refers to no "
                                              "finished anchor", "an anchor &name defined earlier")])
                attach(_Alias(anchors[ev.anchor], _mark(ev)))
            elif name in ("SequenceStartEvent", "MappingStartEvent"):
                tag = _tag(ev.tag)
                want = "seq" if name == "SequenceStartEvent" else "map"
                if tag not in (None, "!", _CORE + want):
                    raise InputError([Problem(file, *_mark(ev), "", f"tag {_short(tag)} is not allowed",
                                              "plain YAML data without tags")])
                if len(stack) >= MAX_DEPTH:
                    raise Refusal([Problem(file, *_mark(ev), "", f"nesting deeper than {MAX_DEPTH} levels",
                                           f"at most {MAX_DEPTH} levels of nesting")])
                node = _Seq([], _mark(ev)) if want == "seq" else _Map([], _mark(ev))
                attach(node)
                stack.append((node, ev.anchor))
            elif name in ("SequenceEndEvent", "MappingEndEvent"):
                node, anchor = stack.pop()
                if anchor:
                    anchors[anchor] = node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = " ".join(s for s in (exc.context, exc.problem) if s)
        raise InputError([Problem(file, line, col, "", f"YAML syntax error: {what}", "valid YAML")]) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) have no problem_mark
        mark = getattr(exc, "position", None)
        raise InputError([Problem(file, 0, 0, "", f"YAML error: {exc}", "valid YAML")]) from None
    return root


_PENDING = object()


def _tag(tag: str | None) -> str | None:
    if tag is None:
        return None
    if tag.startswith("!!"):
        return _CORE + tag[2:]
    return tag


def _short(tag: str | None) -> str:
    return "!!" + tag[len(_CORE):] if tag and tag.startswith(_CORE) else str(tag)


class _Converter:
    """Turn nodes into plain data with marks; expand aliases under the node budget."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.budget = MAX_NODES

    def fail(self, mark: tuple[int, int], path: PathT, message: str, expected: str,
             cls: type[InputError] = InputError) -> None:
        raise cls([Problem(self.doc.file, mark[0], mark[1], dotted(path), message, expected)])

    def convert(self, node: Any, path: PathT, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            self.fail(node.mark, path, f"the document expands to more than {MAX_NODES} nodes through aliases",
                      "aliases used sparingly (is this an alias bomb?)", Refusal)
        if depth > MAX_DEPTH:
            self.fail(node.mark, path, f"nesting deeper than {MAX_DEPTH} levels (through aliases)",
                      f"at most {MAX_DEPTH} levels", Refusal)
        if isinstance(node, _Alias):
            self.doc.marks.setdefault(path, node.mark)
            return self.convert(node.target, path, depth)
        self.doc.marks[path] = node.mark
        if isinstance(node, _Scalar):
            return self.scalar(node, path)
        if isinstance(node, _Seq):
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.items)]
        out: dict[str, Any] = {}
        merges: list[tuple[Any, PathT]] = []
        for knode, vnode in node.items:
            k = knode.target if isinstance(knode, _Alias) else knode
            if not isinstance(k, _Scalar):
                self.fail(k.mark, path, "a mapping key must be a plain word or number", "a scalar key")
            if k.plain and k.value == "<<" and k.tag is None:
                merges.append((vnode, path))
                continue
            key = str(self.scalar(k, path))
            if key in out:
                first = self.doc.key_marks.get((*path, key), ("?", "?"))
                self.doc.problems.append(Problem(
                    self.doc.file, k.mark[0], k.mark[1], dotted((*path, key)),
                    f"duplicate key {key!r} (first at line {first[0]})", "each key once per mapping"))
                continue
            self.doc.key_marks[(*path, key)] = k.mark
            out[key] = self.convert(vnode, (*path, key), depth + 1)
        for vnode, mpath in merges:
            sources = vnode.items if isinstance(vnode, _Seq) else [vnode]
            for src in sources:
                merged = self.convert(src, (*mpath, "<<"), depth + 1)
                if not isinstance(merged, dict):
                    self.fail(vnode.mark, mpath, "merge key << needs a mapping", "<<: *anchor-of-a-mapping")
                for k, v in merged.items():
                    if k not in out:
                        out[k] = v
                        self.doc.key_marks.setdefault((*path, k), vnode.mark)
                        self._copy_marks((*mpath, "<<", k), (*path, k))
        return out

    def _copy_marks(self, src: PathT, dst: PathT) -> None:
        n = len(src)
        for p, m in list(self.doc.marks.items()):
            if p[:n] == src:
                self.doc.marks.setdefault(dst + p[n:], m)

    def scalar(self, node: _Scalar, path: PathT) -> Any:
        tag, v = node.tag, node.value
        if tag in (None, "!"):
            return resolve_plain(v) if node.plain and tag is None else v
        if tag == _CORE + "str":
            return v
        try:
            if tag == _CORE + "int":
                return int(v.replace("_", ""), 0)
            if tag == _CORE + "float":
                return float(v)
            if tag == _CORE + "bool":
                return {"true": True, "false": False}[v.lower()]
            if tag == _CORE + "null":
                return None
        except (ValueError, KeyError):
            self.doc.problems.append(Problem(self.doc.file, node.mark[0], node.mark[1], dotted(path),
                                             f"{v!r} does not match its tag {_short(tag)}", "a value of that type"))
            return None
        self.doc.problems.append(Problem(
            self.doc.file, node.mark[0], node.mark[1], dotted(path),
            f"tag {_short(tag)} is not allowed (drillsim reads plain data and never constructs objects "
            "from tags)", "plain YAML data without tags"))
        return None


def resolve_plain(v: str) -> Any:
    """Resolve a plain scalar with the YAML 1.2 core schema (no sexagesimal, no yes/no booleans)."""
    if v in ("", "~", "null", "Null", "NULL"):
        return None
    if v in ("true", "True", "TRUE"):
        return True
    if v in ("false", "False", "FALSE"):
        return False
    if _INT.match(v):
        s = v.replace("_", "")
        sign = -1 if s.startswith("-") else 1
        body = s.lstrip("+-")
        if body.startswith("0o"):
            return sign * int(body[2:], 8)
        if body.startswith("0x"):
            return sign * int(body[2:], 16)
        return sign * int(body, 10)
    if _FLOAT.match(v) and any(ch.isdigit() for ch in v):
        return float(v.replace("_", ""))
    if _INF.match(v):
        return float("-inf") if v.startswith("-") else float("inf")
    if _NAN.match(v):
        return float("nan")
    return v
