"""Bounded, located, plain-data YAML reading.

Why not ``yaml.safe_load``: it forgets where each value came from (so errors cannot be located),
silently keeps the last of two duplicate keys, reads YAML 1.1 surprises (``12:30`` → 750,
``NO`` → False), and has no bound on alias expansion, nesting or size. Here libyaml's event parser
(fast, C, no object construction) feeds a small iterative composer that enforces the limits below,
then a converter produces plain ``dict``/``list``/scalars with a mark for every path.

Limits (documented in docs/limits.md and the README): a file larger than :data:`MAX_BYTES` is
refused before it is read; nesting deeper than :data:`MAX_DEPTH` and documents that expand (through
aliases) to more than :data:`MAX_NODES` nodes are refused with the location where the limit was hit.
The expanded size is counted while composing (each alias adds the size of what it points to), so an
alias bomb is refused after reading a few hundred events, before anything is expanded in memory.
"""

from __future__ import annotations

import codecs
import gc
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from drillsim.errors import InputError, Problem, Refusal

try:  # pragma: no cover - the wheel ships libyaml; the pure parser is the fallback
    from yaml._yaml import CParser as _Parser

    _C = True
except ImportError:  # pragma: no cover
    _C = False

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 500_000
MAX_INT_DIGITS = 1000

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
    size: int = 1


@dataclass(slots=True)
class _Seq:
    items: list[Any]
    mark: tuple[int, int]
    size: int = 1


@dataclass(slots=True)
class _Map:
    items: list[Any]  # flat: key, value, key, value, ...
    mark: tuple[int, int]
    size: int = 1


@dataclass(slots=True)
class _Alias:
    target: Any
    mark: tuple[int, int]

    @property
    def size(self) -> int:
        return self.target.size


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
    if _looks_utf16(raw):
        raise Refusal([Problem(file, 1, 1, "", "this looks like UTF-16 text without a byte-order mark; "
                               "re-save it as UTF-8", "UTF-8 text")])
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
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        raise Refusal([Problem(file, line, col, "", "NUL character: this looks like a binary file",
                               "UTF-8 text")])
    return text


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a BOM: text where (nearly) every other byte of the first KiB is NUL."""
    head = raw[:1024]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return max(even.count(0) / len(even), odd.count(0) / max(1, len(odd))) > 0.6


def read_document(path: str | Path, *, display: str | None = None, max_bytes: int = MAX_BYTES) -> Document:
    """Read and compose a YAML file with limits; raise :class:`InputError` with located problems.

    Only a regular file is read (a FIFO or a device such as ``/dev/zero`` could block or never end),
    its size is checked before reading, and at most ``max_bytes + 1`` bytes are read, so a file that
    grows while it is read is still refused.
    """
    p = Path(path)
    name = display or str(path)

    def refuse(message: str, expected: str) -> Refusal:
        return Refusal([Problem(name, 0, 0, "", message, expected)])

    try:
        st = p.stat()
    except OSError as exc:
        raise refuse(f"cannot read file: {_os_reason(exc)}", "a readable file") from None
    if stat.S_ISDIR(st.st_mode):
        raise refuse("is a directory", "a YAML file")
    if not stat.S_ISREG(st.st_mode):
        raise refuse("is not a regular file (a pipe, socket or device)", "a YAML file")
    if st.st_size > max_bytes:
        raise refuse(f"file is {st.st_size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.0f} MiB limit for "
                     "scenarios", f"a file under {max_bytes // 2**20} MiB")
    try:
        with p.open("rb") as fh:
            raw = fh.read(st.st_size + 1)  # not max_bytes + 1: read(n) allocates n bytes up front
            if len(raw) > st.st_size:  # the file grew since stat(): read on, but never past the limit
                raw += fh.read(max_bytes + 1 - len(raw))
    except OSError as exc:
        raise refuse(f"cannot read file: {_os_reason(exc)}", "a readable file") from None
    if len(raw) > max_bytes:
        raise refuse(f"file grew over the {max_bytes / 2**20:.0f} MiB limit while it was read",
                     f"a file under {max_bytes // 2**20} MiB")
    return parse_document(raw, name)


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while large acyclic structures are built.

    Composing, converting and validating a document allocate hundreds of thousands of containers
    and no reference cycles; every allocation burst would trigger a collection that rescans all of
    them (measured: a 450 000-node document composed 2.7x slower). The previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_document(raw: bytes | str, file: str = "<string>") -> Document:
    """Parse bytes or text into a :class:`Document`; see module docstring for the guarantees."""
    import hashlib

    if isinstance(raw, str):
        raw_bytes = raw.encode("utf-8", "surrogatepass")
        text = raw
    else:
        raw_bytes = raw
        if len(raw_bytes) > MAX_BYTES:
            raise Refusal([Problem(file, 0, 0, "", "document over the size limit",
                                   f"under {MAX_BYTES} bytes")])
        text = decode(raw_bytes, file)
    with paused_gc():
        root = _compose(text, file)
        doc = Document(file=file, data=None, text=text, sha256=hashlib.sha256(raw_bytes).hexdigest())
        if root is None:
            raise InputError([Problem(file, 1, 1, "", "the file is empty",
                                      "a YAML mapping starting with `drillsim: 1`")])
        doc.data = _Converter(doc).convert(root, (), 0)
        del root  # free the node tree while the collector is paused: it would scan it once more
    return doc


def _mark(event: Any) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _compose(text: str, file: str) -> Any:
    """Build a node tree from parser events without recursion; enforce the depth and node limits.

    ``expanded`` counts the nodes the document will have once aliases are expanded: a scalar or a
    collection adds one, an alias adds the (already known) expanded size of its anchor. It is
    checked at every event, so an alias bomb is refused at the alias that crosses the limit.
    A mapping keeps its keys and values in one flat list ``[k0, v0, k1, v1, ...]``.
    """
    parser: _Parser | yaml.SafeLoader
    if _C:
        parser = _Parser(text)
    else:  # pragma: no cover
        parser = yaml.SafeLoader(text)
    anchors: dict[str, Any] = {}
    stack: list[_Seq | _Map] = []  # open collections
    stack_anchors: list[str | None] = []
    root: Any = None
    docs = 0
    expanded = 0
    get_event = parser.get_event

    def over(ev: Any, message: str, expected: str) -> Refusal:
        return Refusal([Problem(file, *_mark(ev), "", message, expected)])

    try:
        while True:
            # Any: events are told apart by exact class (``cls is``, faster than isinstance), which mypy
            # does not narrow on
            ev: Any = get_event()
            if ev is None:
                break
            cls = type(ev)
            if cls is ScalarEvent:
                expanded += 1
                if expanded > MAX_NODES:
                    raise over(ev, f"more than {MAX_NODES} YAML nodes", "a scenario of reasonable size")
                mark = ev.start_mark
                style = ev.style
                node: _Scalar | _Seq | _Map = _Scalar(ev.value, _tag(ev.tag), bool(ev.implicit[0] and not style),
                               (mark.line + 1, mark.column + 1))
                if ev.anchor:
                    anchors[ev.anchor] = node
                if stack:
                    stack[-1].items.append(node)
                else:
                    root = node
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                expanded += 1
                if expanded > MAX_NODES:
                    raise over(ev, f"more than {MAX_NODES} YAML nodes", "a scenario of reasonable size")
                want = "seq" if cls is SequenceStartEvent else "map"
                tag = _tag(ev.tag)
                if tag not in (None, "!", _CORE + want):
                    raise InputError([Problem(file, *_mark(ev), "", f"tag {_short(tag)} is not allowed "
                                              "(drillsim reads plain data and never constructs objects "
                                              "from tags)", "plain YAML data without tags")])
                if len(stack) >= MAX_DEPTH:
                    raise over(ev, f"nesting deeper than {MAX_DEPTH} levels",
                               f"at most {MAX_DEPTH} levels of nesting")
                node = _Seq([], _mark(ev)) if want == "seq" else _Map([], _mark(ev))
                if stack:
                    stack[-1].items.append(node)
                else:
                    root = node
                stack.append(node)
                stack_anchors.append(ev.anchor)
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                node = stack.pop()
                anchor = stack_anchors.pop()
                node.size = 1 + sum(item.size for item in node.items)
                if anchor:
                    anchors[anchor] = node
            elif cls is AliasEvent:
                if ev.anchor not in anchors:
                    raise InputError([Problem(file, *_mark(ev), "", f"alias *{ev.anchor} refers to no "
                                              "finished anchor", "an anchor &name defined earlier")])
                alias = _Alias(anchors[ev.anchor], _mark(ev))
                expanded += alias.size
                if expanded > MAX_NODES:
                    raise over(ev, f"alias *{ev.anchor} makes the document expand to more than "
                               f"{MAX_NODES} nodes", "aliases used sparingly (is this an alias bomb?)")
                if stack:
                    stack[-1].items.append(alias)
                else:
                    root = alias
            elif cls is DocumentStartEvent:
                docs += 1
                if docs > 1:
                    raise InputError([Problem(file, *_mark(ev), "", "a second YAML document (---)",
                                              "exactly one document per scenario file")])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = " ".join(s for s in (exc.context, exc.problem) if s)
        expected = "valid YAML"
        odd = _odd_space_at(text, mark)
        if odd == "\t":
            what += " (a tab character: YAML indents with spaces only)"
            expected = "spaces instead of tabs"
        elif odd:
            what += f" (an invisible character {_ODD_SPACES[odd]} in the indentation here or just above)"
            expected = "plain spaces (retype the indentation)"
        elif exc.context and "flow" in exc.context and exc.problem and "did not find expected" in exc.problem:
            opened = exc.context_mark
            if opened is not None and mark is not None and opened.line != mark.line:
                # the bracket opened on an earlier line was never closed
                expected = (f"a closing {'}' if 'mapping' in exc.context else ']'} for the one opened at "
                            f"line {opened.line + 1}, column {opened.column + 1}")
            else:
                # `{zh: 标题, en: a: b}`: a comma, colon or bracket inside {…} or […] ends the text early
                expected = ('quote this text: inside {…} or […] a text with a comma, ": ", "[" or "{" needs '
                            'quotes, e.g. en: "Set-up: water, food"')
        raise InputError([Problem(file, line, col, "", f"YAML syntax error: {what}", expected)]) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a character position
        raise InputError([_reader_problem(text, file, exc)]) from None
    return root


_ODD_SPACES = {
    "\t": "tab",
    "\u3000": "U+3000 (full-width space)",
    "\u00a0": "U+00A0 (no-break space)",
    "\ufeff": "U+FEFF (byte-order mark)",
    "\u200b": "U+200B (zero-width space)",
}


def _odd_space_at(text: str, mark: Any) -> str:
    """A tab or an invisible space that probably broke the parse at ``mark`` ("" if none).

    Looks at the line of ``mark`` up to its column and at the indentation of the two lines
    before it (an odd indentation often only fails on the next line). These are the usual reasons a
    scenario pasted from a word processor or a web page does not parse, and libyaml's own message
    ("found character that cannot start any token") hides them.
    """
    if mark is None:
        return ""
    lines = text.split("\n", mark.line + 1)[: mark.line + 1]
    if len(lines) <= mark.line:
        return ""
    candidates = [lines[mark.line][: mark.column + 1]]
    for before in lines[max(0, mark.line - 2): mark.line]:
        candidates.append(before[: len(before) - len(before.lstrip(" \t\u3000\u00a0\ufeff\u200b"))])
    for chunk in candidates:
        for ch in chunk:
            if ch in _ODD_SPACES:
                return ch
    return ""


def invisible_hint(text: str) -> str:
    """Name the first tab or invisible space in ``text`` (a key or value), or ""."""
    for ch in text[:200]:
        if ch in _ODD_SPACES:
            return f"it contains an invisible character {_ODD_SPACES[ch]}"
    return ""


def _reader_problem(text: str, file: str, exc: yaml.YAMLError) -> Problem:
    """Locate a reader error (a control character or an invalid code point) by its character position."""
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    if isinstance(position, int) and _C:  # libyaml counts bytes of the UTF-8 text, not characters
        position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
    if not isinstance(position, int) or not 0 <= position <= len(text):
        return Problem(file, 1, 1, "", f"YAML error: {exc}", "valid YAML")
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    if isinstance(character, str):
        character = ord(character)
    if isinstance(character, int):
        message = f"control character U+{character:04X} is not allowed in YAML"
        expected = 'printable text (write it as an escape such as "\\x01" inside double quotes)'
    else:
        message, expected = f"YAML error: {getattr(exc, 'reason', exc)}", "valid YAML"
    return Problem(file, line, col, "", message, expected)



def _tag(tag: str | None) -> str | None:
    if tag is None:
        return None
    if tag.startswith("!!"):
        return _CORE + tag[2:]
    return tag


def _short(tag: str | None) -> str:
    return "!!" + tag[len(_CORE):] if tag and tag.startswith(_CORE) else str(tag)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _deref(node: Any) -> Any:
    return node.target if isinstance(node, _Alias) else node


class _Converter:
    """Turn nodes into plain data with marks; expand aliases and merge keys (``<<``).

    The node budget repeats the composer's expansion check as a safety net; it cannot be reached
    by a document the composer accepted.
    """

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
            return [self.child(item, (*path, i), depth + 1) for i, item in enumerate(node.items)]
        out: dict[str, Any] = {}
        entries, merges = self._entries(node, path)
        for key, knode, vnode in entries:
            if key in out:
                first = self.doc.key_marks.get((*path, key), ("?", "?"))
                self.doc.problems.append(Problem(
                    self.doc.file, knode.mark[0], knode.mark[1], dotted((*path, key)),
                    f"duplicate key {key!r} (first at line {first[0]})", "each key once per mapping"))
                continue
            sub = (*path, key)
            self.doc.key_marks[sub] = knode.mark
            out[key] = self.child(vnode, sub, depth + 1)
        if merges:
            for key, kmark, vnode in self._merged(merges, path, depth + 1):
                if key not in out:
                    self.doc.key_marks[(*path, key)] = kmark
                    out[key] = self.convert(vnode, (*path, key), depth + 1)
        return out

    def child(self, node: Any, path: PathT, depth: int) -> Any:
        """:meth:`convert` with a fast path for the common case, a plain untagged scalar."""
        if type(node) is _Scalar and node.tag is None:
            self.budget -= 1
            self.doc.marks[path] = node.mark
            return resolve_plain(node.value) if node.plain else node.value
        return self.convert(node, path, depth)

    def _entries(self, node: _Map, path: PathT) -> tuple[list[tuple[str, _Scalar, Any]], list[Any]]:
        """A mapping's own ``(key, key node, value node)`` entries and its merge-key values."""
        entries: list[tuple[str, _Scalar, Any]] = []
        merges: list[Any] = []
        items = node.items
        for knode, vnode in zip(items[0::2], items[1::2], strict=True):
            k = _deref(knode)
            if not isinstance(k, _Scalar):
                self.fail(k.mark, path, "a mapping key must be a plain word or number", "a scalar key")
            if k.plain and k.value == "<<" and k.tag is None:
                merges.append(vnode)
                continue
            entries.append((self.key(k, path), k, vnode))
        return entries, merges

    def _merged(self, merges: list[Any], path: PathT, depth: int) -> list[tuple[str, tuple[int, int], Any]]:
        """Entries brought in by merge keys, in YAML's order of precedence (the first one wins).

        Earlier sources win over later ones, and a source's own keys over what it merges itself.
        Values are converted once, at their final path, so a value's mark is where it is written.
        """
        if depth > MAX_DEPTH:
            self.fail(_deref(merges[0]).mark, path, f"merge keys nested deeper than {MAX_DEPTH} levels",
                      f"at most {MAX_DEPTH} levels", Refusal)
        out: list[tuple[str, tuple[int, int], Any]] = []
        for vnode in merges:
            value = _deref(vnode)
            sources = value.items if isinstance(value, _Seq) else [vnode]
            for src in sources:
                source = _deref(src)
                if not isinstance(source, _Map):
                    self.fail(src.mark, path, "merge key << needs a mapping", "<<: *anchor-of-a-mapping")
                entries, inner = self._entries(source, path)
                out.extend((key, src.mark, v) for key, _, v in entries)
                if inner:
                    out.extend((key, src.mark, v) for key, _, v in self._merged(inner, path, depth + 1))
        return out

    def key(self, k: _Scalar, path: PathT) -> str:
        """A mapping key as text: keys are names, so a plain ``001``, ``true`` or ``null`` stays as is."""
        if k.tag is None:
            return k.value
        value = self.scalar(k, path)
        return k.value if value is None else str(value)

    def scalar(self, node: _Scalar, path: PathT) -> Any:
        tag, v = node.tag, node.value
        if tag in (None, "!"):
            return resolve_plain(v) if node.plain and tag is None else v
        if tag == _CORE + "str":
            return v
        try:
            if tag == _CORE + "int":
                if len(v) > MAX_INT_DIGITS:
                    raise ValueError(v)
                return int(v.replace("_", ""), 0)
            if tag == _CORE + "float":
                return float(v)
            if tag == _CORE + "bool":
                return {"true": True, "false": False}[v.lower()]
            if tag == _CORE + "null":
                return None
        except (ValueError, KeyError):
            self.doc.problems.append(Problem(self.doc.file, node.mark[0], node.mark[1], dotted(path),
                                             f"{_clip(v)!r} does not match its tag {_short(tag)}",
                                             "a value of that type"))
            return None
        self.doc.problems.append(Problem(
            self.doc.file, node.mark[0], node.mark[1], dotted(path),
            f"tag {_short(tag)} is not allowed (drillsim reads plain data and never constructs objects "
            "from tags)", "plain YAML data without tags"))
        return None


_NOT_TEXT_START = frozenset("0123456789+-.~nNtTfF")


def resolve_plain(v: str) -> Any:
    """Resolve a plain scalar with the YAML 1.2 core schema (no sexagesimal, no yes/no booleans)."""
    if v and v[0] not in _NOT_TEXT_START:
        return v  # the common case, a word: no number, boolean or null starts this way
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
        if len(body) > MAX_INT_DIGITS:
            return v  # kept as text: Python refuses to convert (or print) such a number, nothing needs one
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
