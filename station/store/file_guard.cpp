// The database file under the store's feet (issue 18): SQLite keeps writing to a file that was
// removed (its inode lives on, unreachable) or whose mode was made read-only after it was
// opened (the descriptor stays writable), and would report every later unit as stored. Before
// each commit the writer looks at the path again: gone, replaced by another file, or without
// any write permission, the commit is not made and every write waiting on it fails with the
// reason naming the file.
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <cstdio>

#include "store_impl.hpp"

namespace station::store {

using core::fail;
using core::Reason;

std::string room_hint(const std::filesystem::path& path) {
    constexpr const char* k_free = "free disk space, or back up and archive old runs)";
    const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    struct statvfs fs {};
    if (::statvfs(folder.c_str(), &fs) == 0 && fs.f_bavail == 0)
        return std::string(" (the disk is full: ") + k_free;
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return "";
    // A write of a few pages past the end of the file or its WAL would cross the limit.
    constexpr rlim_t k_margin = 1 << 20;
    for (const auto* suffix : {"", "-wal"}) {
        struct stat st {};
        const auto file = path.string() + suffix;
        if (::stat(file.c_str(), &st) == 0 &&
            static_cast<rlim_t>(st.st_size) + k_margin >= limit.rlim_cur)
            return " (the file size limit is reached: " + std::to_string(limit.rlim_cur) +
                   " bytes, `ulimit -f`; " + k_free;
    }
    return "";
}

void Store::Impl::remember_file() {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) file_id = FileId{st.st_dev, st.st_ino};
}

Result<void> Store::Impl::check_file() const {
    if (!file_id) return {};
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return fail(Reason::store_error,
                    path.string() +
                        ": the database file was removed while the station had it "
                        "open; nothing more is written (restore it, or give another "
                        "--db, and resume the run)");
    }
    if (st.st_dev != file_id->dev || st.st_ino != file_id->ino) {
        return fail(Reason::store_error,
                    path.string() +
                        ": the database file was replaced by another file while the "
                        "station had it open; nothing more is written");
    }
    if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return fail(Reason::store_error, path.string() + ": the database file is read-only (mode " +
                                             mode +
                                             ", changed after it was opened?); nothing more "
                                             "is written (make it writable and resume the run)");
    }
    return {};
}

}  // namespace station::store
