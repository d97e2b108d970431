"""Real ``phigate serve`` processes and the nginx in front of them, as the deployment guide runs them.

``Replica`` is one server process (``python -m handlers.cli.main serve``) with its own port and log
file; ``nginx_front`` renders ``deploy/nginx/phigate.conf`` (the production site file) with the test's
ports and a throwaway certificate, wraps it in a minimal main configuration and runs nginx unprivileged
in a temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE_CONF = ROOT / "deploy/nginx/phigate.conf"
CLI = [sys.executable, "-m", "handlers.cli.main"]

_MAIN_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without any phigate/Slack/Teams setting, plus ``settings``."""
    keep = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PHIGATE_", "SLACK_", "Microsoft"))
    }
    return {**keep, "PHIGATE_LOG_LEVEL": "INFO", **settings}


def cli(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``phigate ARGS`` as a real process."""
    return subprocess.run(
        [*CLI, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def get(url: str, timeout: float = 5) -> tuple[int, str]:
    """GET ``url``: status and body (0 and the error when nothing answers)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        return 0, str(error)


class Replica:
    """One ``phigate serve`` process; its output goes to ``log_path``."""

    def __init__(self, env: dict[str, str], log_path: Path, port: int | None = None) -> None:
        self.env = env
        self.log_path = log_path
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Replica:
        """Start the process and wait until ``/healthz`` answers 200."""
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [*CLI, "serve", "--port", str(self.port)], cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"replica on {self.port} exited with {self.process.returncode}: {self.log()}"
                )
            if get(self.url + "/healthz", timeout=2)[0] == 200:
                return self
            time.sleep(0.1)
        raise RuntimeError(f"replica on {self.port} did not become healthy: {self.log()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, exactly like a crashed host."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not stop in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def metric(self, name: str, **labels: str) -> float:
        """Sum of the ``/metrics`` samples called ``name`` whose labels include ``labels``."""
        status, body = get(self.url + "/metrics")
        assert status == 200, body[:200]
        total = 0.0
        for line in body.splitlines():
            match = re.match(rf"^{re.escape(name)}(?:\{{(.*)\}})? (\S+)$", line)
            if not match:
                continue
            found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1) or ""))
            if all(found.get(key) == value for key, value in labels.items()):
                total += float(match.group(2))
        return total


def render_site(
    ports: list[int], https_port: int, http_port: int, prefix: Path, cert: Path, key: Path
) -> str:
    """``deploy/nginx/phigate.conf`` with the test's replicas, ports, certificate and log folder."""
    site = SITE_CONF.read_text()
    upstream_line = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+ (.*);$", re.MULTILINE)
    example = upstream_line.search(site)
    assert example, "deploy/nginx/phigate.conf lists no upstream replica"
    indent, options = example.group(1), example.group(2)
    servers = "\n".join(f"{indent}server 127.0.0.1:{port} {options};" for port in ports)
    site = upstream_line.sub("", site, count=0)
    site = site.replace("upstream phigate {\n", "upstream phigate {\n" + servers + "\n", 1)
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "/etc/ssl/certs/phigate.pem": str(cert),
        "/etc/ssl/private/phigate.key": str(key),
        "/var/log/nginx/phigate.access.log": str(prefix / "access.log"),
    }
    for production, local in replacements.items():
        assert site.count(production) == 1, f"{production!r} not found once in {SITE_CONF}"
        site = site.replace(production, local)
    return site


@contextmanager
def nginx_front(ports: list[int]) -> Iterator[str]:
    """nginx with the production site file in front of ``ports``; yields its https base URL."""
    folder = Path(tempfile.mkdtemp(prefix="phigate-nginx-"))
    folder.chmod(0o755)  # nginx's workers run as nobody when the tests run as root
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
            ),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    https_port, http_port = free_port(), free_port()
    (folder / "site.conf").write_text(render_site(ports, https_port, http_port, folder, cert, key))
    (folder / "nginx.conf").write_text(_MAIN_CONF.format(prefix=folder))
    process = subprocess.Popen(
        ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while not _listening(https_port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"nginx did not start: {process.stderr.read().decode() if process.stderr else ''}"
                )
            time.sleep(0.05)
        yield f"https://127.0.0.1:{https_port}"
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0
