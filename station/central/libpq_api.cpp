#include <station/central/libpq_api.hpp>

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace station::central {
namespace {

constexpr const char* k_library = "libpq.so.5";

template <class F>
bool find(void* lib, const char* name, F& out, std::string& missing) {
    void* symbol = dlsym(lib, name);
    if (symbol == nullptr) {
        missing += std::string(missing.empty() ? "" : ", ") + name;
        return false;
    }
    out = reinterpret_cast<F>(symbol);  // NOLINT: dlsym's documented use
    return true;
}

core::Result<LibPq> load() {
    void* lib = dlopen(k_library, RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
        const char* why = dlerror();
        return core::fail(core::Reason::store_error,
                          std::string("cannot load ") + k_library +
                              " (install the Debian package libpq5): " + (why ? why : "unknown"));
    }
    LibPq api{};
    std::string missing;
    find(lib, "PQconnectdbParams", api.connectdb_params, missing);
    find(lib, "PQstatus", api.status, missing);
    find(lib, "PQerrorMessage", api.error_message, missing);
    find(lib, "PQfinish", api.finish, missing);
    find(lib, "PQexecParams", api.exec_params, missing);
    find(lib, "PQexec", api.exec, missing);
    find(lib, "PQresultStatus", api.result_status, missing);
    find(lib, "PQresultErrorMessage", api.result_error_message, missing);
    find(lib, "PQclear", api.clear, missing);
    find(lib, "PQntuples", api.ntuples, missing);
    find(lib, "PQnfields", api.nfields, missing);
    find(lib, "PQgetisnull", api.getisnull, missing);
    find(lib, "PQgetvalue", api.getvalue, missing);
    find(lib, "PQgetlength", api.getlength, missing);
    find(lib, "PQputCopyData", api.put_copy_data, missing);
    find(lib, "PQputCopyEnd", api.put_copy_end, missing);
    find(lib, "PQgetResult", api.get_result, missing);
    find(lib, "PQsetNoticeProcessor", api.set_notice_processor, missing);
    if (!missing.empty()) {
        return core::fail(core::Reason::store_error,
                          std::string(k_library) + " lacks " + missing + ": not libpq 10 or newer");
    }
    return api;  // the library stays loaded for the process's life
}

}  // namespace

core::Result<const LibPq*> libpq() {
    static std::once_flag once;
    static core::Result<LibPq> loaded = core::fail(core::Reason::store_error, "not loaded");
    std::call_once(once, [] { loaded = load(); });
    if (!loaded) return tl::unexpected(loaded.error());
    return &*loaded;
}

}  // namespace station::central
