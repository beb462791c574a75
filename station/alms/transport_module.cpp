// The station binary's side of the ALMS transport module: finds it, dlopen()s it once, and
// serves parse_url_parts (url_parts.hpp), parse_http_date (http_date.hpp) and
// make_curl_transport through it.
#include <station/alms/transport_module.hpp>

#include <dlfcn.h>

#include <cstdlib>

namespace station::alms {
namespace {

namespace fs = std::filesystem;
using core::Reason;

struct Module {
    ModuleNewTransportFn new_transport = nullptr;
    ModuleParseUrlFn parse_url = nullptr;
    ModuleParseDateFn parse_date = nullptr;
};

// The first candidate that exists (else the last: the installed place, for the message).
fs::path module_path() {
    const auto candidates = transport_module_candidates();
    std::error_code ec;
    for (const auto& path : candidates) {
        if (fs::exists(path, ec)) return path;
    }
    return candidates.back();
}

std::string load_error(const fs::path& path, const std::string& why) {
    return "cannot load the ALMS transport module " + path.string() + ": " + why +
           " (it holds libcurl; set $" + k_transport_module_env + " to its path)";
}

core::Result<Module> open_module() {
    const fs::path path = module_path();
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = ::dlerror();
        return core::fail(Reason::bad_usage, load_error(path, why ? why : "dlopen failed"));
    }
    const auto symbol = [handle](const char* name) { return ::dlsym(handle, name); };
    const auto abi = reinterpret_cast<ModuleAbiFn>(symbol(k_module_abi_symbol));
    Module module;
    module.new_transport =
        reinterpret_cast<ModuleNewTransportFn>(symbol(k_module_new_transport_symbol));
    module.parse_url = reinterpret_cast<ModuleParseUrlFn>(symbol(k_module_parse_url_symbol));
    module.parse_date = reinterpret_cast<ModuleParseDateFn>(symbol(k_module_parse_date_symbol));
    if (abi == nullptr || module.new_transport == nullptr || module.parse_url == nullptr ||
        module.parse_date == nullptr) {
        ::dlclose(handle);
        return core::fail(Reason::bad_usage, load_error(path, "not a station ALMS module"));
    }
    if (abi() != k_transport_module_abi) {
        ::dlclose(handle);
        return core::fail(Reason::bad_usage,
                          load_error(path, "built for another station (interface " +
                                               std::to_string(abi()) + ", this station needs " +
                                               std::to_string(k_transport_module_abi) + ")"));
    }
    return module;  // the handle stays open: transports' code lives there
}

// Loaded at most once per process; every later call sees the same module or error.
const core::Result<Module>& module() {
    static const core::Result<Module> loaded = open_module();
    return loaded;
}

}  // namespace

std::vector<fs::path> transport_module_candidates() {
    if (const char* given = std::getenv(k_transport_module_env); given && *given) {
        return {fs::path(given)};
    }
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    const fs::path dir = ec ? fs::path(".") : exe.parent_path();
    return {dir / k_transport_module_file,
            dir.parent_path() / "lib" / "station" / k_transport_module_file};
}

core::Result<bool> load_transport_module() {
    if (!module()) return tl::unexpected(module().error());
    return true;
}

core::Result<std::unique_ptr<Transport>> make_curl_transport(const TransportOptions& options) {
    if (!module()) return tl::unexpected(module().error());
    std::string error;
    Transport* made = module()->new_transport(&options, &error);
    if (made == nullptr) return core::fail(Reason::bad_usage, "ALMS transport: " + error);
    return std::unique_ptr<Transport>(made);
}

namespace {

// Asks the module's parser `Module::*which` about `text` (answers as alms_module.cpp's serve).
template <class T, class Fn>
core::Result<std::optional<T>> ask(Fn Module::*which, const std::string& text) {
    if (!module()) return tl::unexpected(module().error());
    T value{};
    std::string error;
    const int rc = ((*module()).*which)(&text, &value, &error);
    if (rc < 0) return core::fail(Reason::bad_usage, error);
    if (rc == 0) return std::optional<T>{};
    return std::optional<T>(std::move(value));
}

}  // namespace

core::Result<std::optional<UrlParts>> parse_url_parts(const std::string& url) {
    return ask<UrlParts>(&Module::parse_url, url);
}

core::Result<std::optional<std::int64_t>> parse_http_date(const std::string& text) {
    return ask<std::int64_t>(&Module::parse_date, text);
}

}  // namespace station::alms
