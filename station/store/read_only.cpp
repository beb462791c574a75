// Opening a database only to read it: history, reports, the outbox status, checks and backups.
//
// Why it is built this way: an archive or a backup must be readable by a user who can write
// neither the file nor its folder. SQLITE_OPEN_READONLY reads a WAL database as long as its WAL
// index (-shm) exists or can be created; on read-only media it cannot be created, and then the
// file is opened as immutable (the WAL index is not needed) - but only when no WAL content sits
// beside it, since an immutable reader would silently miss the WAL's committed transactions.
// Nothing is ever written: a file at an older schema is migrated in an in-memory copy.
#include <station/store/store_impl.hpp>

namespace station::store {
namespace {

using core::fail;
using core::Reason;

// "file:" URI of a path: every byte outside the unreserved set and '/' percent-encoded.
std::string uri_of(const std::filesystem::path& path, std::string_view query) {
    static constexpr std::string_view k_hex = "0123456789ABCDEF";
    const std::string absolute = std::filesystem::absolute(path).string();
    std::string uri = "file:";
    for (const char ch : absolute) {
        const auto c = static_cast<unsigned char>(ch);
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '_' || c == '.' ||
                           c == '~';
        if (plain) {
            uri += ch;
        } else {
            uri += '%';
            uri += k_hex[c >> 4U];
            uri += k_hex[c & 0x0fU];
        }
    }
    return uri + "?" + std::string(query);
}

bool has_wal_content(const std::filesystem::path& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path.string() + "-wal", ec);
    return !ec && size > 0;
}

}  // namespace

Result<void> open_read_only(Store::Impl& impl, std::chrono::milliseconds busy_timeout) {
    std::error_code ec;
    if (!std::filesystem::exists(impl.path, ec)) {
        return fail(Reason::store_error, impl.path.string() + k_no_such_database);
    }
    auto ok = open_connection(impl, SQLITE_OPEN_READONLY, busy_timeout);
    if (ok) {
        auto version = read_user_version(impl);  // the first read: opens the WAL index
        if (version) return {};
        ok = tl::unexpected(version.error());
    }
    if (has_wal_content(impl.path)) {
        return fail(Reason::store_error, ok.error().message +
                                             " (its -wal file holds transactions a reader cannot "
                                             "see without write access to the folder: copy the "
                                             "database with its -wal and -shm files somewhere "
                                             "writable)");
    }
    close_connection(impl);
    const std::string uri = uri_of(impl.path, "immutable=1");
    auto immutable =
        open_connection(impl, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, busy_timeout, uri.c_str());
    if (immutable) {
        auto version = read_user_version(impl);
        if (version) return {};
    }
    close_connection(impl);
    return ok;  // the plain open's error says more than the immutable one's
}

Result<void> migrate_in_memory(Store::Impl& impl) {
    auto version = read_user_version(impl);
    if (!version) return tl::unexpected(version.error());
    if (auto supported = check_schema_version(impl, *version); !supported) return supported;
    if (*version == k_schema_version) return {};
    sqlite3* memory = nullptr;
    int rc =
        sqlite3_open_v2(":memory:", &memory,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    sqlite3_backup* copy =
        rc == SQLITE_OK ? sqlite3_backup_init(memory, "main", impl.db, "main") : nullptr;
    rc = SQLITE_ERROR;
    if (copy != nullptr) {
        rc = sqlite3_backup_step(copy, -1);
        sqlite3_backup_finish(copy);
    }
    if (rc != SQLITE_DONE) {
        const std::string why = memory != nullptr ? sqlite3_errmsg(memory) : "out of memory";
        sqlite3_close_v2(memory);
        return fail(Reason::store_error,
                    impl.path.string() + ": cannot copy the older schema into memory: " + why);
    }
    close_connection(impl);
    impl.db = memory;
    auto migrated = migrate(impl);
    if (!migrated) return tl::unexpected(migrated.error());
    return {};
}

}  // namespace station::store
