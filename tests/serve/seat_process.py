"""A scripted seat in its own process (so a test can ``kill -9`` it): joins, writes every message it gets.

``python -m tests.serve.seat_process URL TOKEN OUT`` appends each server message, one JSON line, to
OUT (flushed at once) and runs until killed or closed.
"""

from __future__ import annotations

import asyncio
import json
import sys

from websockets.asyncio.client import connect


async def main(url: str, token: str, out: str) -> None:
    async with connect(url, proxy=None, max_size=None, compression=None) as ws:
        await ws.send(json.dumps({"type": "hello", "protocol": 1, "token": token}))
        with open(out, "a", encoding="utf-8") as fh:
            async for raw in ws:
                fh.write(raw if isinstance(raw, str) else raw.decode())
                fh.write("\n")
                fh.flush()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
