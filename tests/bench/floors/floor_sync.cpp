// SPDX-License-Identifier: GPL-3.0-or-later
// The disk's floor under a sequential publish (docs/performance.md §9): what making a blob and
// its row durable costs on this machine's file system, with no HTTP, JSON or SQL around it.
// Each round writes `count` blobs of 8 KiB in one of four ways and appends a WAL commit of
// `pages` 4 KiB pages with its fdatasync after each blob, as SQLite in WAL mode with
// synchronous=FULL does at a publish's commit. The ways take turns; medians are printed.
//
//   unsynced-name  the build before the hardened edge: an O_TMPFILE in the blob's folder,
//                  fdatasync, linkat; the folder is never synced (after a power cut the row can
//                  name a blob whose name was lost)
//   rename-then-sync  this build (model/blobstore.cpp): a staging file, chmod, rename into place,
//                  fsync of the file, fsync of the folder (docs/architecture.md §4)
//   tmpfile-link   an O_TMPFILE staged anywhere, fchmod, linkat into place, fsync, folder fsync
//   sync-then-link an O_TMPFILE, fdatasync, linkat into place, folder fsync
//
// Usage: floor_sync DIR [rounds=7] [count=200] [pages=18]. DIR must be on the disk being
// measured (not tmpfs, where every sync is free).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

struct Way
{
    const char *name;
    // Writes blob `i` under `root` into folder `shard` durably (as far as the way goes).
    void (*write)(const std::string &root, int shard, int i);
};

std::array<char, 8192> blobBytes{};
std::array<char, 4096> pageBytes{};

std::string shardPath(const std::string &root, int shard)
{
    char name[8];
    std::snprintf(name, sizeof name, "/%02x", shard);
    return root + name;
}

void check(bool ok, const char *what)
{
    if (!ok) {
        std::perror(what);
        std::exit(1);
    }
}

void writeAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        check(n > 0, "write");
        data += n;
        size -= size_t(n);
    }
}

void syncPath(const std::string &path, int flags)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | flags);
    check(fd >= 0, "open for fsync");
    check(::fsync(fd) == 0, "fsync");
    ::close(fd);
}

void linkTmpfile(int fd, const std::string &to)
{
    const std::string from = "/proc/self/fd/" + std::to_string(fd);
    check(::linkat(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), AT_SYMLINK_FOLLOW) == 0, "linkat");
}

std::string blobPath(const std::string &root, int shard, int i)
{
    return shardPath(root, shard) + "/blob-" + std::to_string(i);
}

void unsyncedName(const std::string &root, int shard, int i)
{
    const int fd = ::open(shardPath(root, shard).c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
    check(fd >= 0, "open O_TMPFILE");
    writeAll(fd, blobBytes.data(), blobBytes.size());
    check(::fdatasync(fd) == 0, "fdatasync");
    linkTmpfile(fd, blobPath(root, shard, i));
    ::close(fd);
}

void renameThenSync(const std::string &root, int shard, int i)
{
    const std::string staging = root + "/tmp/upload-" + std::to_string(i);
    const int fd = ::open(staging.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    check(fd >= 0, "open staging");
    writeAll(fd, blobBytes.data(), blobBytes.size());
    ::close(fd);
    check(::chmod(staging.c_str(), 0644) == 0, "chmod");
    const std::string to = blobPath(root, shard, i);
    check(::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0,
          "renameat2");
    syncPath(to, 0);
    syncPath(shardPath(root, shard), O_DIRECTORY);
}

void tmpfileLink(const std::string &root, int shard, int i)
{
    const int fd = ::open((root + "/tmp").c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    check(fd >= 0, "open O_TMPFILE");
    writeAll(fd, blobBytes.data(), blobBytes.size());
    check(::fchmod(fd, 0644) == 0, "fchmod");
    linkTmpfile(fd, blobPath(root, shard, i));
    check(::fsync(fd) == 0, "fsync");
    ::close(fd);
    syncPath(shardPath(root, shard), O_DIRECTORY);
}

void syncThenLink(const std::string &root, int shard, int i)
{
    const int fd = ::open((root + "/tmp").c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
    check(fd >= 0, "open O_TMPFILE");
    writeAll(fd, blobBytes.data(), blobBytes.size());
    check(::fdatasync(fd) == 0, "fdatasync");
    linkTmpfile(fd, blobPath(root, shard, i));
    ::close(fd);
    syncPath(shardPath(root, shard), O_DIRECTORY);
}

// One round of `count` publishes the given way, in a fresh folder; seconds.
double round(const std::string &base, const Way &way, int count, int pages)
{
    std::string root = base + "/floor-sync-XXXXXX";
    check(::mkdtemp(root.data()) != nullptr, "mkdtemp");
    check(::mkdir((root + "/tmp").c_str(), 0755) == 0, "mkdir");
    for (int shard = 0; shard < 256; ++shard) {
        check(::mkdir(shardPath(root, shard).c_str(), 0755) == 0, "mkdir");
    }
    const int wal = ::open((root + "/wal").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    check(wal >= 0, "open wal");
    syncPath(root, O_DIRECTORY);
    std::srand(unsigned(count));
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < count; ++i) {
        way.write(root, std::rand() % 256, i);
        for (int page = 0; page < pages; ++page) {
            writeAll(wal, pageBytes.data(), pageBytes.size());
        }
        check(::fdatasync(wal) == 0, "fdatasync wal");
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ::close(wal);
    const std::string remove = "rm -rf '" + root + "'";
    check(std::system(remove.c_str()) == 0, "rm");
    return seconds;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [rounds=7] [count=200] [pages=18]\n", argv[0]);
        return 2;
    }
    const std::string base = argv[1];
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 7;
    const int count = argc > 3 ? std::atoi(argv[3]) : 200;
    const int pages = argc > 4 ? std::atoi(argv[4]) : 18;
    const std::array<Way, 4> ways = {{
        {"unsynced-name", unsyncedName},
        {"rename-then-sync", renameThenSync},
        {"tmpfile-link", tmpfileLink},
        {"sync-then-link", syncThenLink},
    }};
    std::array<std::vector<double>, 4> times;
    for (int r = 0; r < rounds; ++r) {
        for (size_t w = 0; w < ways.size(); ++w) {
            times[w].push_back(round(base, ways[w], count, pages));
        }
    }
    std::printf("%d publishes, WAL commit of %d pages each, medians of %d rounds in turns\n",
                count,
                pages,
                rounds);
    double floor = 0;
    for (size_t w = 0; w < ways.size(); ++w) {
        std::vector<double> &t = times[w];
        std::sort(t.begin(), t.end());
        const double median = t[t.size() / 2];
        if (w == 0) {
            floor = median;
        }
        std::printf("%-17s %.3f s  %.2fx  (min %.3f, max %.3f)\n",
                    ways[w].name,
                    median,
                    median / floor,
                    t.front(),
                    t.back());
    }
    return 0;
}
