"""`make lab` as a user runs it: JupyterLab comes up on 127.0.0.1, prints its URL, answers
/api/status and lists the notebooks."""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_make_lab_serves_notebooks(tmp_path):
    port = free_port()
    log = tmp_path / "lab.log"
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
    }
    with log.open("w") as out:
        lab = subprocess.Popen(
            ["make", "--no-print-directory", "lab", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline and lab.poll() is None:
            match = re.search(rf"http://127\.0\.0\.1:{port}/lab\?token=(\w+)", log.read_text())
            url = match and match.group(0)
            time.sleep(0.5)
        assert url, f"no URL printed; log:\n{log.read_text()}"
        token = url.rsplit("=", 1)[1]

        def get(path):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {token}"}
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.load(response)

        status = get("/api/status")
        assert "started" in status
        listed = sorted(
            item["name"] for item in get("/api/contents")["content"] if item["type"] == "notebook"
        )
        assert listed == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
        assert listed, "no notebooks listed"
    finally:
        stop(lab)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
