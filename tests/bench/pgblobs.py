#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where tarballs live (issue 15), by measurement: writing and reading 10 KB and 1 MB tarballs as
PostgreSQL large objects, as chunked bytea rows, and as files of a shared folder.

    /usr/bin/python3 tests/bench/pgblobs.py [--rounds 5] [--count-10k 400] [--count-1m 40]

Starts a throwaway cluster with tests/pg/cluster.sh (PostgreSQL 15 from Debian) and turns its
durability back on (fsync, full_page_writes, synchronous_commit: the script turns them off for the
tests), so that every store pays for what it keeps: a committed row is on disk, and a file is
written, fsync()ed, renamed into place and its folder fsync()ed, as Trove's blob store does. The
stores take turns within each round (large objects, bytea, files, again), and the table reports the
median round of each. Reads are of what was just written (warm caches: a published tarball is
read many times, and the first read only decides what the others cost). A file is read with
sendfile() to /dev/null, as `trove serve` sends a tarball; a database blob is read into the client,
as an instance filling its local cache would. Needs psycopg2 (Debian's python3-psycopg2).

Also measured, for docs/postgresql.md's plan for N instances: NOTIFY deliveries per second to one
listener (each NOTIFY in its own commit, as Trove's change stamp does) and the connections allowed.
"""

import argparse
import hashlib
import os
import select
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (PostgresCluster: tests/pg/cluster.sh with durability on)

try:
    import psycopg2
    import psycopg2.extensions
except ImportError:
    sys.exit("psycopg2 is missing: apt-get install python3-psycopg2 (and run this with /usr/bin/python3)")

CHUNK = 256 * 1024  # bytea rows of 256 KiB: a 1 MB tarball is 4 rows, a 10 KB one is 1


def blobs(count, size):
    """Random bytes (tarballs are gzip: they do not compress further), named by SHA-256."""
    out = []
    for _ in range(count):
        data = os.urandom(size)
        out.append((hashlib.sha256(data).hexdigest(), data))
    return out


class LargeObjects:
    name = "PostgreSQL large objects"

    def __init__(self, connection):
        self.db = connection
        with self.db.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS blob_lo (digest TEXT PRIMARY KEY, oid OID NOT NULL)")
        self.db.commit()

    def write(self, digest, data):
        # One transaction per tarball: the object and the row naming it commit together.
        lobject = self.db.lobject(0, "wb")
        lobject.write(data)
        with self.db.cursor() as cursor:
            cursor.execute("INSERT INTO blob_lo VALUES (%s, %s)", (digest, lobject.oid))
        lobject.close()
        self.db.commit()

    def read(self, digest):
        with self.db.cursor() as cursor:
            cursor.execute("SELECT oid FROM blob_lo WHERE digest = %s", (digest,))
            oid = cursor.fetchone()[0]
        lobject = self.db.lobject(oid, "rb")
        data = lobject.read()
        lobject.close()
        self.db.commit()
        return len(data)


class ChunkedBytea:
    name = f"PostgreSQL bytea, {CHUNK // 1024} KiB rows"

    def __init__(self, connection):
        self.db = connection
        with self.db.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS blob_chunks (digest TEXT, n INTEGER, data BYTEA NOT NULL, "
                           "PRIMARY KEY (digest, n))")
            # Stored out of line without trying to compress: tarballs are already gzip.
            cursor.execute("ALTER TABLE blob_chunks ALTER data SET STORAGE EXTERNAL")
        self.db.commit()

    def write(self, digest, data):
        with self.db.cursor() as cursor:
            for n, offset in enumerate(range(0, len(data), CHUNK)):
                cursor.execute("INSERT INTO blob_chunks VALUES (%s, %s, %s)",
                               (digest, n, psycopg2.Binary(data[offset:offset + CHUNK])))
        self.db.commit()

    def read(self, digest):
        with self.db.cursor() as cursor:
            cursor.execute("SELECT data FROM blob_chunks WHERE digest = %s ORDER BY n", (digest,))
            size = sum(len(row[0]) for row in cursor)
        self.db.commit()
        return size


class SharedFolder:
    name = "shared folder: files (fsync, rename), sendfile"

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.null = os.open(os.devnull, os.O_WRONLY)

    def path(self, digest):
        return self.folder / digest[:2] / digest[2:]

    def write(self, digest, data):
        target = self.path(digest)
        made = not target.parent.exists()
        target.parent.mkdir(exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(temporary, target)
        for folder in [target.parent] + ([self.folder] if made else []):
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            os.fsync(fd)
            os.close(fd)

    def read(self, digest):
        fd = os.open(self.path(digest), os.O_RDONLY)
        try:
            size = os.fstat(fd).st_size
            offset = 0
            while offset < size:
                offset += os.sendfile(self.null, fd, offset, size - offset)
        finally:
            os.close(fd)
        return size


def notify_rate(url, seconds):
    """NOTIFYs delivered per second to one LISTENing connection, each NOTIFY committed alone."""
    listener = psycopg2.connect(url)
    listener.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    listener.cursor().execute("LISTEN bench")
    sender = psycopg2.connect(url)
    sender.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    cursor = sender.cursor()
    sent = received = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        cursor.execute("NOTIFY bench, '1'")
        sent += 1
        listener.poll()
        received += len(listener.notifies)
        listener.notifies.clear()
    deadline = time.perf_counter() + 5
    while received < sent and time.perf_counter() < deadline:
        select.select([listener], [], [], 0.1)
        listener.poll()
        received += len(listener.notifies)
        listener.notifies.clear()
    elapsed = time.perf_counter() - start
    listener.close()
    sender.close()
    return sent, received, received / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds, each store in turn (default 5)")
    parser.add_argument("--count-10k", type=int, default=400, help="10 KB tarballs per round (default 400)")
    parser.add_argument("--count-1m", type=int, default=40, help="1 MB tarballs per round (default 40)")
    parser.add_argument("--notify-seconds", type=float, default=3.0)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="trove-pgblobs-"))
    cluster = bench.PostgresCluster(work / "pg")
    results = {}  # (store, size, "write"|"read") -> [seconds per tarball]
    try:
        url = cluster.start(durable=True)
        version = cluster.sql("SHOW server_version")
        settings = {name: cluster.sql(f"SHOW {name}") for name in ("fsync", "synchronous_commit", "shared_buffers",
                                                                  "max_connections")}
        connection = psycopg2.connect(url)
        stores = [LargeObjects(connection), ChunkedBytea(connection), SharedFolder(work / "blobs")]
        for round_ in range(options.rounds):
            for size, count, label in ((10 * 1024, options.count_10k, "10 KB"),
                                       (1024 * 1024, options.count_1m, "1 MB")):
                for store in stores:
                    batch = blobs(count, size)  # new digests for each store and round
                    start = time.perf_counter()
                    for digest, data in batch:
                        store.write(digest, data)
                    results.setdefault((store.name, label, "write"), []).append(
                        (time.perf_counter() - start) / count)
                    start = time.perf_counter()
                    for digest, data in batch:
                        if store.read(digest) != len(data):
                            raise RuntimeError(f"{store.name}: {digest} read back short")
                    results.setdefault((store.name, label, "read"), []).append(
                        (time.perf_counter() - start) / count)
            print(f"round {round_ + 1} of {options.rounds} done", file=sys.stderr)
        connection.close()
        sent, received, rate = notify_rate(url, options.notify_seconds)
    finally:
        cluster.stop()
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\nTarball storage, {time.strftime('%Y-%m-%d %H:%M %Z')}, nproc {os.cpu_count()}, "
          f"load {os.getloadavg()[0]:.2f}, PostgreSQL {version.split()[0]} "
          f"(fsync {settings['fsync']}, synchronous_commit {settings['synchronous_commit']}, shared_buffers "
          f"{settings['shared_buffers']}), command: {' '.join(['tests/bench/pgblobs.py'] + sys.argv[1:])}; "
          f"medians of {options.rounds} rounds taken in turns, one connection, one tarball per transaction\n")
    print("| store | size | write ms/tarball | write MiB/s | read ms/tarball | read MiB/s | read / shared folder's |")
    print("|---|---|---|---|---|---|---|")
    for label, size in (("10 KB", 10 * 1024), ("1 MB", 1024 * 1024)):
        folder_read = statistics.median(results[(SharedFolder.name, label, "read")])
        for store in (LargeObjects.name, ChunkedBytea.name, SharedFolder.name):
            write = statistics.median(results[(store, label, "write")])
            read = statistics.median(results[(store, label, "read")])
            print(f"| {store} | {label} | {write * 1000:.3f} | {size / write / 1024**2:,.1f} | {read * 1000:.3f} | "
                  f"{size / read / 1024**2:,.1f} | {read / folder_read:.1f}× |")
    print(f"\nNOTIFY, each in its own commit, to one listener: {received:,} of {sent:,} delivered, "
          f"{rate:,.0f} a second; max_connections {settings['max_connections']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
