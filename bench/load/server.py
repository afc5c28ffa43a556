"""The server under load: `scripts/serve` (gunicorn) on a free loopback port.

Production settings as the README's table gives them (BAGGRUND_DEBUG=0, a secret key,
BAGGRUND_ALLOWED_HOSTS=127.0.0.1, BAGGRUND_HTTPS=0 for plain HTTP on loopback) on the
corpus database and its search index, with a throwaway media folder. `scripts/serve`
runs `migrate` and `collectstatic` itself (into the project's `staticfiles/`: the
settings have no variable for STATIC_ROOT) before gunicorn starts.
"""

import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (just now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`scripts/serve` in its own process group, its output in `log`."""

    def __init__(self, *, database_url: str, index_dir: Path, media: Path, workers: int, log):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BAGGRUND_SEARCH_INDEX_DIR": str(index_dir),
            "BAGGRUND_MEDIA_ROOT": str(media),
            "BAGGRUND_DEBUG": "0",
            "BAGGRUND_SECRET_KEY": secrets.token_urlsafe(50),
            "BAGGRUND_ALLOWED_HOSTS": "127.0.0.1",
            "BAGGRUND_HTTPS": "0",
            "BAGGRUND_WORKERS": str(workers),
            "BAGGRUND_ADDR": f"127.0.0.1:{self.port}",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 180.0) -> float:
        """Start and wait until /healthz answers 200; returns the seconds it took."""
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [str(ROOT / "scripts" / "serve")],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"scripts/serve exited with {self.process.returncode}")
            if self._healthy():
                return time.perf_counter() - started
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"scripts/serve did not answer /healthz within {timeout:.0f} s")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def pids(self) -> list[int]:
        """The gunicorn master and its workers (psutil), for their CPU time."""
        import psutil

        if self.process is None or self.process.poll() is not None:
            return []
        master = psutil.Process(self.process.pid)
        return [master.pid, *(child.pid for child in master.children(recursive=True))]

    def stop(self, timeout: float = 70.0) -> int | None:
        """SIGTERM (gunicorn finishes the running requests), SIGKILL after `timeout`."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait()
