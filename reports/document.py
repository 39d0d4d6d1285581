"""A report as a list of blocks, so Markdown and HTML are rendered from one structure."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A section heading (level 1 is the title)."""

    level: int
    text: str


@dataclass(frozen=True)
class Para:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bulleted list of plain-text items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Image:
    """A figure: PNG bytes, saved as ``figures/<name>.png`` and embedded in the HTML."""

    name: str
    caption: str
    png: bytes


@dataclass
class Document:
    """Title + blocks, in reading order."""

    title: str
    lang: str
    blocks: list[object] = field(default_factory=list)

    def add(self, *blocks: object) -> None:
        """Append blocks."""
        self.blocks.extend(blocks)

    def headings(self) -> list[str]:
        """Every heading's text (tests check sections with it)."""
        return [b.text for b in self.blocks if isinstance(b, Heading)]

    def images(self) -> list[Image]:
        """Every figure."""
        return [b for b in self.blocks if isinstance(b, Image)]
