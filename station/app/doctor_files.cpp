// station doctor, the files: the results database and its disk, the profiles, rig files, the
// ALMS credentials file, and (with --online) a token request per configured data center.
#include <station/app/doctor.hpp>

#include <sys/statvfs.h>
#include <unistd.h>

#include <system_error>

#include <fixtures/rig/rig.hpp>
#include <profiles/loader.hpp>
#include <station/alms/config.hpp>
#include <station/app/alms_session.hpp>
#include <station/core/sanitize.hpp>
#include <station/store/store.hpp>

namespace station::app::doctor {
namespace {

namespace fs = std::filesystem;

Check make(std::string name, Level level, std::string message, std::string fix = {}) {
    return Check{std::move(name), level, std::move(message), std::move(fix)};
}

std::string shown(const fs::path& path) { return core::sanitize_for_display(path.string(), 300); }

fs::path folder_of(const fs::path& db) {
    return db.has_parent_path() ? db.parent_path() : fs::path(".");
}

bool writable(const fs::path& path) { return ::access(path.c_str(), W_OK) == 0; }

}  // namespace

Check check_database(const Inputs& in) {
    std::error_code ec;
    const fs::path folder = folder_of(in.db);
    if (!fs::exists(in.db, ec)) {
        if (!fs::is_directory(folder, ec)) {
            return make("database", Level::fail,
                        shown(in.db) + ": its folder " + shown(folder) + " does not exist",
                        "create the folder, or point --db / $STATION_DB elsewhere");
        }
        if (!writable(folder)) {
            return make("database", Level::fail,
                        shown(in.db) + " does not exist and " + shown(folder) +
                            " is not writable",
                        "give this user write access to the folder");
        }
        return make("database", Level::warn,
                    shown(in.db) + " does not exist yet (the first provision creates it)",
                    "none needed on a new bench; else check --db / $STATION_DB");
    }
    if (!writable(in.db) || !writable(folder)) {
        return make("database", Level::fail,
                    shown(in.db) + ": not writable (the file and its folder must be)",
                    "give this user write access to the file and its folder");
    }
    auto report = store::inspect(in.db);
    if (!report) return make("database", Level::fail, report.error().message,
                             "restore from a backup (station db backup makes one)");
    if (report->schema_version > report->supported_version) {
        return make("database", Level::fail,
                    shown(in.db) + ": schema version " + std::to_string(report->schema_version) +
                        " is newer than this station (" +
                        std::to_string(report->supported_version) + ")",
                    "install a newer station");
    }
    if (!report->ok()) {
        return make("database", Level::fail,
                    shown(in.db) + ": integrity check failed (" +
                        std::to_string(report->integrity.size()) + " problem(s))",
                    "restore from a backup; station db check lists the problems");
    }
    return make("database", Level::ok,
                shown(in.db) + ": writable, integrity ok, schema version " +
                    std::to_string(report->schema_version));
}

Check check_disk(const Inputs& in) {
    const fs::path folder = folder_of(in.db);
    std::uint64_t free_mib = 0;
    if (in.free_mib) {
        free_mib = *in.free_mib;
    } else {
        struct statvfs st{};
        if (::statvfs(folder.c_str(), &st) != 0) {
            return make("disk", Level::warn, "cannot read the free space of " + shown(folder),
                        "check that the database's folder exists");
        }
        free_mib = static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize / (1024U * 1024U);
    }
    const std::string text = std::to_string(free_mib) + " MiB free for " + shown(folder);
    const std::string fix = "free space on that file system, or move the database (--db)";
    if (free_mib < k_fail_free_mib) {
        return make("disk", Level::fail,
                    text + " (under " + std::to_string(k_fail_free_mib) + " MiB)", fix);
    }
    if (free_mib < k_warn_free_mib) {
        return make("disk", Level::warn,
                    text + " (under " + std::to_string(k_warn_free_mib) + " MiB)", fix);
    }
    return make("disk", Level::ok, text);
}

Check check_profiles(const Inputs& in) {
    const fs::path dir = profiles::profiles_dir(in.profiles_dir);
    const auto set = profiles::load_profile_dir(dir, profiles::FileHashes::skip);
    if (!set.errors.empty()) {
        std::string text = shown(dir) + ": " + std::to_string(set.errors.size()) + " error(s): ";
        text += core::sanitize_for_display(set.errors.front().message, 300);
        return make("profiles", Level::fail, text,
                    "station profiles check --profiles-dir " + shown(dir) + " lists each one");
    }
    if (set.profiles.empty()) {
        return make("profiles", Level::fail, shown(dir) + ": no profile",
                    "point --profiles-dir / $STATION_PROFILES_DIR at the profiles folder");
    }
    return make("profiles", Level::ok,
                shown(dir) + ": " + std::to_string(set.profiles.size()) + " profile(s) valid");
}

std::vector<Check> check_rigs(const Inputs& in) {
    std::vector<Check> out;
    for (const auto& file : in.rigs) {
        const std::string name = "rig " + core::sanitize_for_display(file, 200);
        auto rig = fixtures::rig::load_rig(file);
        if (!rig) {
            out.push_back(make(name, Level::fail, rig.error().message,
                               "station rig check " + core::sanitize_for_display(file, 200)));
            continue;
        }
        std::string missing;
        for (const auto& slot : rig->slots) {
            std::error_code ec;
            if (slot.kind != fixtures::rig::SlotKind::port || fs::exists(slot.port, ec)) continue;
            missing += (missing.empty() ? "" : ", ") + slot.label + " (" + slot.port + ")";
        }
        if (!missing.empty()) {
            out.push_back(make(name, Level::warn,
                               "valid; tty missing for slot(s) " +
                                   core::sanitize_for_display(missing, 300),
                               "plug those routers in, or fix the slots' port paths"));
            continue;
        }
        out.push_back(make(name, Level::ok,
                           "valid, " + std::to_string(rig->slots.size()) + " slot(s)"));
    }
    return out;
}

Check check_credentials(const Inputs& in) {
    const auto env = alms::process_environment();
    std::optional<fs::path> file;
    if (!in.credentials.empty()) file = in.credentials;
    else file = alms::default_credentials_path(env);
    std::error_code ec;
    if (!file || !fs::exists(*file, ec)) {
        return make("credentials", Level::warn,
                    "no ALMS credentials file" + (file ? " at " + shown(*file) : std::string()),
                    "needed for register push: create it with mode 0600 (README, \"ALMS\")");
    }
    if (auto read = alms::read_private_file(*file); !read) {
        return make("credentials", Level::fail, read.error().message,
                    "chmod 600 " + shown(*file) + " (owned by this user)");
    }
    return make("credentials", Level::ok, shown(*file) + ": private to this user");
}

std::vector<Check> check_alms(const Inputs& in) {
    std::vector<Check> out;
    for (const auto dc : {core::DataCenter::na, core::DataCenter::eu}) {
        const std::string name = "alms " + std::string(core::to_string(dc));
        auto session = AlmsSession::open(dc, in.credentials, 1);
        if (!session) {
            const auto& msg = session.error().message;
            const bool absent = msg.find(": no client_id") != std::string::npos;
            out.push_back(make(name, absent ? Level::warn : Level::fail, msg,
                               absent ? "add this data center to the credentials file if the "
                                        "bench registers units there"
                                      : "fix the credentials file or the ALMS module"));
            continue;
        }
        if (auto auth = (*session)->client().authenticate(); !auth) {
            out.push_back(make(name, Level::fail, "token request failed: " + auth.error().message,
                               "check the network, the proxy CA and the client id/secret"));
            continue;
        }
        out.push_back(make(name, Level::ok, "token request answered"));
    }
    return out;
}

}  // namespace station::app::doctor
