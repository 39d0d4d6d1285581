"""Golden screenshots of the main screen: text (what is written where) and SVG (colours and styles).

Regenerate after an intended change with ``DRILLSIM_SNAPSHOT_UPDATE=1 pytest tests/tui/test_snapshots.py``
and look at the SVG files (any browser) before committing them. The text golden is compared
first, so a failure shows a readable diff of the screen.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from tests.tui.conftest import make_app, wait_until
from tests.tui.screen_text import screen_text

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("DRILLSIM_SNAPSHOT_UPDATE") == "1"


@pytest.mark.parametrize(("width", "height", "lang"), [(80, 24, "en"), (160, 48, "en"), (80, 24, "zh")])
def test_main_screen(run_async, tmp_path, width, height, lang):
    async def shoot() -> tuple[str, str]:
        app = make_app(lang=lang)
        async with app.run_test(size=(width, height)) as pilot:
            await pilot.press("n", "n")  # two injects delivered; the clock stops at 07:00
            await wait_until(pilot, lambda: app.driver.now == 60.0 and not app.clock.active)
            await pilot.pause(0.3)
            return screen_text(app), app.export_screenshot(title=f"drillsim play {width}x{height} {lang}")

    text, svg = run_async(shoot())
    name = f"main-{width}x{height}-{lang}"
    golden_text, golden_svg = SNAPSHOTS / f"{name}.txt", SNAPSHOTS / f"{name}.svg"
    if UPDATE or not golden_text.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        golden_text.write_text(text, encoding="utf-8")
        golden_svg.write_text(svg, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"no golden snapshot yet: wrote {golden_text.name}; check it and commit it")
        return
    expected = golden_text.read_text(encoding="utf-8")
    if text != expected:
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        (tmp_path / f"{name}.svg").write_text(svg, encoding="utf-8")
        lines = difflib.unified_diff(expected.splitlines(), text.splitlines(), "golden", "now", lineterm="")
        diff = "\n".join(lines)
        pytest.fail(f"the screen changed (new screenshot in {tmp_path}):\n{diff}")
    if svg != golden_svg.read_text(encoding="utf-8"):
        (tmp_path / f"{name}.svg").write_text(svg, encoding="utf-8")
        pytest.fail(f"same text, other colours or styles: compare {golden_svg} with {tmp_path / name}.svg")
