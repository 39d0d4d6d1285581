"""TLS: ``serve --tls-cert/--tls-key`` speaks wss:// only; a client trusting the certificate joins, others cannot."""

from __future__ import annotations

import asyncio
import json
import shutil
import ssl
import subprocess

import pytest
from websockets.asyncio.client import connect

from tests.serve.harness import Server

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")


def test_a_tls_server_talks_to_a_client_that_trusts_its_certificate(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    srv = Server(tmp_path / "run", "--tls-cert", str(cert), "--tls-key", str(key))
    try:
        assert any(f"listening on wss://127.0.0.1:{srv.port}" in line for line in srv.lines)

        async def go():
            context = ssl.create_default_context(cafile=str(cert))
            async with connect(f"wss://127.0.0.1:{srv.port}", ssl=context, proxy=None, max_size=None) as ws:
                await ws.send(json.dumps({"type": "hello", "protocol": 1, "token": srv.tokens["watch"]}))
                first = await ws.recv()
            plain_failed = False
            try:
                async with connect(f"ws://127.0.0.1:{srv.port}", proxy=None, open_timeout=5) as ws:
                    await ws.send(json.dumps({"type": "hello", "protocol": 1, "token": srv.tokens["watch"]}))
                    await ws.recv()
            except Exception:
                plain_failed = True
            untrusted_failed = False
            try:
                async with connect(f"wss://127.0.0.1:{srv.port}", ssl=ssl.create_default_context(), proxy=None,
                                   open_timeout=5):
                    pass
            except ssl.SSLError:
                untrusted_failed = True
            return first, plain_failed, untrusted_failed

        first, plain_failed, untrusted_failed = asyncio.run(go())
    finally:
        srv.kill()
    assert '"type":"welcome"' in first
    assert plain_failed and untrusted_failed
