"""Render a :class:`~drillsim.reports.document.Document` as Markdown (figures link to ``<figures>/*.png``)."""

from __future__ import annotations

from drillsim.reports.document import Bullets, Document, Heading, Image, Para, Table


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or " "


def _text(text: str) -> str:
    """Plain text that Markdown will not misread (no raw HTML, no stray emphasis)."""
    return str(text).replace("<", "&lt;").replace(">", "&gt;")


def render(doc: Document, figures: str = "figures") -> str:
    """Markdown text of the document; figures are linked as ``<figures>/<name>.png``."""
    out: list[str] = [f"# {_text(doc.title)}", ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * min(6, block.level)} {_text(block.text)}", ""]
        elif isinstance(block, Para):
            out += [_text(block.text), ""]
        elif isinstance(block, Bullets):
            out += [f"- {_text(' '.join(item.split()))}" for item in block.items] + [""]
        elif isinstance(block, Table):
            out.append("| " + " | ".join(_cell(_text(h)) for h in block.header) + " |")
            out.append("|" + "---|" * len(block.header))
            out += ["| " + " | ".join(_cell(_text(c)) for c in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Image):
            out += [
                f"![{_cell(block.caption)}]({figures}/{block.name}.png)",
                "",
                f"*{_text(block.caption)}*",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"
