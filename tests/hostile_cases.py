"""Hostile scenario inputs, shared by the loader tests and ``benchmarks/hostile_inputs.py``.

Each case is a file on disk (or something that is not a file) plus what the loader must say about
it: ``ok`` (the input is odd but valid, e.g. UTF-16 with a byte-order mark) or a substring of one
of the problems' messages. Builders are deterministic (no unseeded randomness).
"""

from __future__ import annotations

import codecs
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
VALID = (HERE / "scenarios" / "one-incident.yaml").read_text(encoding="utf-8")
"""A small valid scenario the cases start from."""


@dataclass(frozen=True)
class Case:
    """One hostile input.

    Attributes:
        name: Short id (also the file name).
        expect: ``"ok"`` or a substring of one of the problems' messages.
        build: Creates the input under a directory and returns the path to hand to drillsim.
        located: Every problem must have a line >= 1 (False for refusals of the file as a whole).
        root_can_read: False when the case relies on permissions that root ignores.
    """

    name: str
    expect: str
    build: Callable[[Path], Path]
    located: bool = True
    root_can_read: bool = True


def _file(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        p = tmp / name
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return p

    return build


def _with(extra: str) -> str:
    """The valid scenario with ``extra`` YAML appended at the top level."""
    return VALID + extra


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    """The classic alias bomb: ``width ** levels`` nodes once expanded, a few hundred bytes on disk."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def merge_heavy(copies: int, keys: int = 20) -> str:
    """Many mappings that merge (``<<: *base``) one anchored mapping: quadratic in a naive loader."""
    base = ", ".join(f"k{i}: {i}" for i in range(keys))
    body = "".join(f"  m{i}: {{<<: *base, own: {i}}}\n" for i in range(copies))
    return f"x-base: &base {{{base}}}\nx-merged:\n{body}"


def _aliased_fields() -> str:
    """10 regions that are all one anchored mapping holding 2 x 20 000 aliased nodes: validation
    errors inside an alias-expanded structure (pydantic must not walk it to format them)."""
    keys = ", ".join(f"k{i}: {i}" for i in range(100))
    anchors = (f"x-a: &a {{{keys}}}\nx-b: &b [{', '.join(['*a'] * 100)}]\n"
               "x-r: &r {name: R, level: nope, parent: county-a, extra: *b, more: *b}\n")
    regions = "".join(f"  r{i}: *r\n" for i in range(10))
    return anchors + VALID.replace("regions:\n", "regions:\n" + regions)


def deep_block(depth: int) -> str:
    """Block mappings nested ``depth`` levels."""
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "leaf\n"


def deep_flow(depth: int) -> str:
    """Flow sequences nested ``depth`` levels (the C loader segfaults near 30 000)."""
    return "x: " + "[" * depth + "]" * depth + "\n"


def _unreadable(tmp: Path) -> Path:
    p = tmp / "unreadable.yaml"
    p.write_text(VALID, encoding="utf-8")
    p.chmod(0)
    return p


def _directory(tmp: Path) -> Path:
    p = tmp / "a-directory.yaml"
    p.mkdir()
    return p


def _symlink_loop(tmp: Path) -> Path:
    a, b = tmp / "loop-a.yaml", tmp / "loop-b.yaml"
    a.symlink_to(b.name)
    b.symlink_to(a.name)
    return a


def _fifo(tmp: Path) -> Path:
    p = tmp / "a-pipe.yaml"
    os.mkfifo(p)
    return p


def _sparse(size: int, name: str) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        p = tmp / name
        with open(p, "wb") as fh:
            fh.truncate(size)
        return p

    return build


def _garbage(n: int) -> bytes:
    return random.Random(20230731).randbytes(n)


def _hundred_k_bad_items() -> str:
    item = "  t{}: {{name: T, kind: boat, base: county-a, capabilities: [x]}}\n"
    items = "".join(item.format(i) for i in range(20_000))
    unknown = ", ".join(f"k{i}: 1" for i in range(100_000))
    return VALID.replace("teams:\n", f"teams:\n{items}  many-keys: {{name: T, kind: social, base: county-a, "
                                      f"capabilities: [x], {unknown}}}\n")


def _dangling_refs(n: int) -> str:
    regions = "".join(f"  v{i}: {{name: V, level: village, parent: town-a}}\n" for i in range(n))
    agencies = "".join(f"  a{i}: {{name: A, region: w{i}}}\n" for i in range(n))
    text = VALID.replace("regions:\n", "regions:\n" + regions)
    return text.replace("agencies:\n", "agencies:\n" + agencies)


MiB = 2**20

CASES: tuple[Case, ...] = (
    # -- aliases and expansion
    Case("alias-bomb", "expand to more than", _file("alias-bomb.yaml", billion_laughs())),
    Case("alias-bomb-in-scenario", "expand to more than", _file("alias-bomb-in-scenario.yaml",
                                                                _with("x-bomb:\n" + "".join(
                                                                    "  " + ln + "\n" for ln in
                                                                    billion_laughs().splitlines())))),
    Case("alias-bomb-under-limit", "unknown key", _file("alias-bomb-under-limit.yaml",
                                                        _with(billion_laughs(levels=4)))),
    Case("merge-heavy", "unknown key", _file("merge-heavy.yaml", _with(merge_heavy(10_000)))),
    Case("merge-bomb", "expand to more than", _file("merge-bomb.yaml", _with(merge_heavy(30_000)))),
    Case("alias-into-fields", "unknown key `extra`", _file("alias-into-fields.yaml", _aliased_fields())),
    Case("undefined-alias", "refers to no finished anchor", _file("undefined-alias.yaml",
                                                                 _with("x: *nowhere\n"))),
    # -- nesting and size
    Case("deep-block-3000", "nesting deeper than", _file("deep-block.yaml", deep_block(3000))),
    Case("deep-flow-100k", "nesting", _file("deep-flow.yaml", deep_flow(100_000))),
    Case("deep-mixed-60", "unknown key", _file("deep-mixed.yaml",
                                               _with("x: " + "{a: [" * 30 + "]}" * 30 + "\n"))),
    Case("too-many-nodes", "more than 500000 YAML nodes", _file("too-many-nodes.yaml",
                                                               "x: [" + "1," * 600_000 + "1]\n")),
    Case("huge-file-120MiB", "over the 16 MiB limit", _sparse(120 * MiB, "huge.yaml"), located=False),
    Case("just-over-16MiB", "over the 16 MiB limit", _sparse(16 * MiB + 1, "just-over.yaml"), located=False),
    Case("long-scalar-15MiB", "not text", _file("long-scalar.yaml", VALID.replace(
        "id: one-incident", "id: [" + "x" * (15 * MiB) + "]"))),
    Case("long-key-1MiB", "YAML syntax error", _file("long-key.yaml", _with("k" * MiB + ": 1\n"))),
    Case("huge-integer", "number too long", _file("huge-integer.yaml",
                                                  VALID.replace("seed: 7", "seed: " + "9" * 50_000))),
    Case("huge-float", "bad speed", _file("huge-float.yaml", VALID.replace("speed: 40km/h", "speed: 1e999"))),
    Case("100k-errors", "is not allowed", _file("100k-errors.yaml", _hundred_k_bad_items())),
    Case("25k-dangling-refs", "unknown region", _file("dangling.yaml", _dangling_refs(25_000))),
    # -- bytes and encodings
    Case("binary-garbage", "is not UTF-8", _file("garbage.yaml", _garbage(64 * 1024))),
    Case("png-header", "is not UTF-8", _file("image.yaml", b"\x89PNG\r\n\x1a\n" + _garbage(4096))),
    Case("nul-bytes", "NUL character", _file("nul.yaml", VALID.encode() + b"\x00\x00\x00more\n")),
    Case("utf16-le-bom", "ok", _file("utf16le.yaml", codecs.BOM_UTF16_LE + VALID.encode("utf-16-le"))),
    Case("utf16-be-bom", "ok", _file("utf16be.yaml", codecs.BOM_UTF16_BE + VALID.encode("utf-16-be"))),
    Case("utf32-bom", "ok", _file("utf32.yaml", VALID.encode("utf-32"))),
    Case("utf16-no-bom", "UTF-16", _file("utf16-nobom.yaml", VALID.encode("utf-16-le"))),
    Case("utf16-bom-truncated", "invalid utf-16", _file("utf16-cut.yaml",
                                                       codecs.BOM_UTF16_LE + VALID.encode("utf-16-le")[:-1])),
    Case("latin1", "not UTF-8", _file("latin1.yaml", VALID.encode().replace(
        b"Boat team", "Équipe café".encode("latin-1")))),
    Case("gbk", "not UTF-8", _file("gbk.yaml", VALID.encode("gbk"))),
    Case("utf8-bom", "ok", _file("utf8-bom.yaml", codecs.BOM_UTF8 + VALID.encode())),
    Case("bom-mid-file", "U+FEFF", _file("bom-mid.yaml", VALID.replace("title:", "\ufefftitle:", 1))),
    Case("control-char", "control character U+0001", _file("ctrl.yaml", VALID.replace("Boat team",
                                                                                      "Boat\x01team"))),
    Case("escape-sequence", "control character U+001B", _file("esc.yaml",
                                                             VALID.replace("Boat team", "\x1b[31mBoat"))),
    # -- YAML features drillsim refuses
    Case("full-width-space", "U+3000", _file("fullwidth.yaml", VALID.replace(
        "  boat-1:\n    name", "  boat-1:\n\u3000\u3000name"))),
    Case("tab-indent", "tab", _file("tabs.yaml", VALID.replace("  boat-1:\n    name", "  boat-1:\n\tname"))),
    Case("duplicate-key", "duplicate key 'boat-1'", _file("dup.yaml", VALID.replace(
        "teams:\n", "teams:\n  boat-1: {}\n"))),
    Case("python-object-apply", "tag !!python/object/apply:os.system is not allowed",
         _file("py-apply.yaml", _with("x: !!python/object/apply:os.system [echo pwned]\n"))),
    Case("python-object", "tag !!python/object:drillsim.cli.Evil is not allowed",
         _file("py-object.yaml", _with("x: !!python/object:drillsim.cli.Evil {a: 1}\n"))),
    Case("python-name", "tag !!python/name:os.system is not allowed",
         _file("py-name.yaml", _with("x: !!python/name:os.system ''\n"))),
    Case("python-module", "tag !!python/module:os is not allowed",
         _file("py-module.yaml", _with("x: !!python/module:os ''\n"))),
    Case("custom-tag", "tag !Ref is not allowed", _file("custom-tag.yaml", _with("x: !Ref boat-1\n"))),
    Case("binary-tag", "tag !!binary is not allowed", _file("binary-tag.yaml", _with("x: !!binary aGk=\n"))),
    Case("set-tag", "tag !!set is not allowed", _file("set-tag.yaml", _with("x: !!set {a, b}\n"))),
    Case("complex-key", "a mapping key must be a plain word or number",
         _file("complex-key.yaml", _with("? [a, b]\n: 1\n"))),
    Case("null-bool-number-keys", "unknown key", _file("odd-keys.yaml", _with("null: 1\ntrue: 2\n3: 3\n"))),
    Case("two-documents", "a second YAML document", _file("two-docs.yaml", VALID + "---\n" + VALID)),
    Case("yaml-syntax", "YAML syntax error", _file("syntax.yaml", VALID.replace("title: {", "title: {{", 1))),
    Case("unclosed-quote", "YAML syntax error", _file("quote.yaml", _with('x: "never closed\n'))),
    # -- empty and odd roots
    Case("empty-file", "the file is empty", _file("empty.yaml", b"")),
    Case("whitespace-only", "the file is empty", _file("blank.yaml", "\n   \n\n")),
    Case("comments-only", "the file is empty", _file("comments.yaml", "# nothing here\n# at all\n")),
    Case("dashes-only", "the document is empty", _file("dashes.yaml", "---\n")),
    Case("root-list", "the document is a list", _file("list.yaml", "- a\n- b\n")),
    Case("root-scalar", "the document is a string", _file("scalar.yaml", "just words\n")),
    # -- not a readable file
    Case("directory", "is a directory", _directory, located=False),
    Case("symlink-loop", "cannot read file", _symlink_loop, located=False),
    Case("fifo", "not a regular file", _fifo, located=False),
    Case("dev-zero", "not a regular file", lambda tmp: Path("/dev/zero"), located=False),
    Case("missing-file", "cannot read file", lambda tmp: tmp / "missing.yaml", located=False),
    Case("unreadable", "cannot read file", _unreadable, located=False, root_can_read=False),
)
