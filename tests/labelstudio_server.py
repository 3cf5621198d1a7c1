"""A throw-away Label Studio server for the tests: found, started offline on 127.0.0.1, stopped by pid.

Label Studio is never a dependency of the project: it lives in its own virtual environment
(``.ci/run`` makes ``.venv-labelstudio``) and is found through ``CORPUS_DS_LABEL_STUDIO``
(the path of its ``label-studio`` program), else ``.venv-labelstudio/bin/label-studio``
beside this checkout. The API is spoken with the standard library only.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "corpus-ds-test-token-0123456789abcdef"
USER = "annotator@localhost"
START_TIMEOUT = 300  # seconds; a first start (database migrations) takes about a minute
STOP_TIMEOUT = 30
CALL_TIMEOUT = 120


def find_label_studio() -> tuple[Path | None, str]:
    """The ``label-studio`` program, or None and why not."""
    given = os.environ.get("CORPUS_DS_LABEL_STUDIO")
    if given:
        path = Path(given)
        if path.is_dir():
            path = path / "bin" / "label-studio"
        if path.is_file() and os.access(path, os.X_OK):
            return path, f"Label Studio: {path} (CORPUS_DS_LABEL_STUDIO)"
        return None, f"CORPUS_DS_LABEL_STUDIO={given} is not an executable label-studio"
    local = ROOT / ".venv-labelstudio" / "bin" / "label-studio"
    if local.is_file() and os.access(local, os.X_OK):
        return local, f"Label Studio: {local}"
    return None, ("Label Studio is not installed: set CORPUS_DS_LABEL_STUDIO to the label-studio program of "
                  "its own virtual environment (python3 -m venv .venv-labelstudio && "
                  ".venv-labelstudio/bin/pip install label-studio), as .ci/run does")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def offline_environment(data_dir: Path) -> dict[str, str]:
    """Label Studio's environment with everything that would reach the network turned off."""
    env = dict(os.environ)
    env.update(
        LABEL_STUDIO_BASE_DATA_DIR=str(data_dir),  # even --help writes here otherwise (~/.local/share)
        LATEST_VERSION_CHECK="0",                  # no PyPI version check
        COLLECT_ANALYTICS="0",                     # no usage metrics
        SENTRY_DSN="", FRONTEND_SENTRY_DSN="",     # the defaults are sentry.io addresses
        CONVERTER_DOWNLOAD_RESOURCES="0",
        LOG_LEVEL="WARNING",
    )
    return env


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    data_dir: Path
    started_in: float

    @property
    def log(self) -> str:
        path = self.data_dir / "server.log"
        return path.read_text(encoding="utf-8", errors="replace")[-4000:] if path.exists() else ""

    def call(self, method: str, path: str, body: Any = None, query: str = "") -> Any:
        """One API call with the legacy token; the JSON answer (None when empty)."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(f"{self.url}{path}{'?' + query if query else ''}", data=data,
                                         method=method, headers={"Authorization": f"Token {TOKEN}",
                                                                 "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=CALL_TIMEOUT) as answer:
                payload = answer.read()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: {error.code} {error.read()[:2000]!r}") from None
        return json.loads(payload) if payload else None


def start(program: Path, data_dir: Path) -> Server:
    """Start Label Studio on a free port of 127.0.0.1 with a fresh data folder, a user and an API
    token (the legacy token, enabled for the organisation the first start creates)."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(data_dir / "server.log", "wb")
    began = time.monotonic()
    process = subprocess.Popen(
        [str(program), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
         "--data-dir", str(data_dir), "--username", USER, "--password", "corpus-ds-test",
         "--user-token", TOKEN, "--enable-legacy-api-token"],
        env=offline_environment(data_dir), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)  # its own process group: stopped as a whole by its pid
    log.close()
    server = Server(process, f"http://127.0.0.1:{port}", data_dir, 0.0)
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"label-studio exited with status {process.returncode}:\n{server.log}")
            if time.monotonic() - began > START_TIMEOUT:
                raise TimeoutError(f"label-studio did not answer within {START_TIMEOUT} s:\n{server.log}")
            try:
                with urllib.request.urlopen(f"{server.url}/health", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
    except BaseException:
        stop(server)
        raise
    server.started_in = time.monotonic() - began
    return server


def stop(server: Server) -> None:
    """Stop the server by the pid we started (its process group), within a bounded wait."""
    process = server.process
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_TIMEOUT)
    except ProcessLookupError:
        pass
