"""Render a :class:`~drillsim.reports.document.Document` as one self-contained HTML page.

Figures are embedded as base64 PNG, the style sheet is inline, and nothing is fetched: no
scripts, fonts, style sheets or images from anywhere else, so the page opens offline and leaks
nothing. Every piece of text is escaped (scenario text is user input).
"""

from __future__ import annotations

import base64
from html import escape

from drillsim.reports.document import Bullets, Document, Heading, Image, Para, Table

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1d2330;line-height:1.5}
h1{border-bottom:3px solid #1f4e79;padding-bottom:.3rem}h2{border-bottom:1px solid #c9d3df;margin-top:2rem}
table{border-collapse:collapse;margin:.8rem 0;width:100%;font-size:.92rem}
th,td{border:1px solid #c9d3df;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef3f8}tr:nth-child(even) td{background:#fafbfd}
figure{margin:1rem 0}figure img{max-width:100%;border:1px solid #dde3ea}
figcaption{font-size:.9rem;color:#4a5565}
.rating-P{color:#1b7f3b;font-weight:bold}.rating-S{color:#8a6d00;font-weight:bold}
.rating-M{color:#b35900;font-weight:bold}.rating-U{color:#b00020;font-weight:bold}
"""


def _cell(text: str) -> str:
    value = escape(str(text))
    if value in ("P", "S", "M", "U", "✓P", "✓S", "✓M", "✓U"):
        return f'<span class="rating-{value[-1]}">{value}</span>'
    return value


def _anchor(text: str, used: set[str]) -> str:
    base = "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40] or "section"
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}-{n}"
    used.add(key)
    return key


def render(doc: Document) -> str:
    """The HTML page."""
    used: set[str] = set()
    parts = [
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if doc.lang == "zh" else "en"}">\n<head>\n'
        f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(doc.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(doc.title)}</h1>\n"
    ]
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = max(2, min(6, block.level))
            parts.append(f'<h{level} id="{_anchor(block.text, used)}">{escape(block.text)}</h{level}>\n')
        elif isinstance(block, Para):
            parts.append(f"<p>{escape(block.text)}</p>\n")
        elif isinstance(block, Bullets):
            parts.append("<ul>\n" + "".join(f"<li>{escape(i)}</li>\n" for i in block.items) + "</ul>\n")
        elif isinstance(block, Table):
            head = "".join(f"<th>{escape(h)}</th>" for h in block.header)
            rows = "".join(
                "<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>\n" for row in block.rows
            )
            parts.append(f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n")
        elif isinstance(block, Image):
            data = base64.b64encode(block.png).decode("ascii")
            parts.append(
                f'<figure id="figure-{escape(block.name)}"><img alt="{escape(block.caption)}" '
                f'src="data:image/png;base64,{data}">\n'
                f"<figcaption>{escape(block.caption)}</figcaption></figure>\n"
            )
    parts.append("</body>\n</html>\n")
    return "".join(parts)
