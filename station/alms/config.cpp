#include <station/alms/config.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include <toml++/toml.h>

#include <station/core/sanitize.hpp>
#include <station/core/text.hpp>

namespace station::alms {
namespace {

using core::fail;
using core::Reason;

constexpr std::size_t k_max_file_bytes = 64U * 1024U;
constexpr long long k_max_timeout_ms = 600000;

struct Key {
    std::string_view name;
    bool integer;
};
constexpr std::array k_keys{
    Key{"client_id", false},         Key{"client_secret", false},
    Key{"account_type", false},      Key{"company_uid", false},
    Key{"reseller_target_company", false},
    Key{"base_url", false},          Key{"ca_bundle", false},
    Key{"connect_timeout_ms", true}, Key{"request_timeout_ms", true},
};

// Why a reseller's own account is refused (DOMAIN.md, "Second reading").
constexpr std::string_view k_into_customer_account =
    "XR units are registered into the customer's AVC account, never into the reseller's own "
    "(an ALMS Reseller account holds at most 20 devices and supports neither SIM cards nor "
    "Semtech connectivity)";

std::string mode_text(mode_t mode) {
    std::array<char, 8> buf{};
    std::snprintf(buf.data(), buf.size(), "%04o", static_cast<unsigned>(mode & 07777U));
    return buf.data();
}

std::string env_name(core::DataCenter dc, std::string_view key) {
    std::string name = "STATION_ALMS_";
    for (const char c : core::to_string(dc)) name += static_cast<char>(c - 'a' + 'A');
    name += '_';
    for (const char c : key) {
        name += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return name;
}

// Raw settings as text, before validation; `origin` names where each came from.
struct RawSettings {
    std::array<std::optional<std::string>, k_keys.size()> values;
    std::array<std::string, k_keys.size()> origin;
};

std::size_t key_index(std::string_view key) {
    for (std::size_t i = 0; i < k_keys.size(); ++i) {
        if (k_keys[i].name == key) return i;
    }
    return k_keys.size();
}

core::Result<void> read_table(const toml::table& table, const std::string& file,
                              std::string_view dc_name, RawSettings& raw) {
    for (const auto& [key, node] : table) {
        const std::string where = file + ":" + std::to_string(node.source().begin.line) + ": [" +
                                  std::string(dc_name) + "] " +
                                  core::sanitize_for_display(key.str(), 60);
        const std::size_t i = key_index(key.str());
        if (i == k_keys.size()) return fail(Reason::bad_usage, where + ": unknown key");
        if (k_keys[i].integer) {
            const auto value = node.value<long long>();
            if (!node.is_integer() || !value) {
                return fail(Reason::bad_usage, where + ": must be an integer");
            }
            raw.values[i] = std::to_string(*value);
        } else {
            if (!node.is_string()) return fail(Reason::bad_usage, where + ": must be a string");
            raw.values[i] = node.value<std::string>();
        }
        raw.origin[i] = where;
    }
    return {};
}

core::Result<void> read_file_settings(const std::filesystem::path& path, core::DataCenter dc,
                                      RawSettings& raw) {
    const auto text = read_private_file(path);
    if (!text) return tl::unexpected(text.error());
    const std::string file = core::sanitize_for_display(path.string(), 200);
    toml::table root;
    try {
        root = toml::parse(text->reveal(), path.string());
    } catch (const toml::parse_error& e) {
        // The description may quote the offending text, which may be a secret: withhold it.
        return fail(Reason::bad_usage, file + ":" + std::to_string(e.source().begin.line) + ":" +
                                           std::to_string(e.source().begin.column) +
                                           ": not valid TOML (details withheld: the file "
                                           "holds secrets)");
    }
    for (const auto& [key, node] : root) {
        const bool known = core::data_center_from_string(key.str()).has_value();
        if (!known) {
            return fail(Reason::bad_usage, file + ": unknown table '" +
                                               core::sanitize_for_display(key.str(), 60) +
                                               "' (expected [na] and/or [eu])");
        }
        if (!node.is_table()) {
            return fail(Reason::bad_usage,
                        file + ": '" + std::string(key.str()) + "' must be a table");
        }
    }
    if (const auto* table = root.get_as<toml::table>(core::to_string(dc))) {
        return read_table(*table, file, core::to_string(dc), raw);
    }
    return {};
}

core::Result<std::chrono::milliseconds> timeout_value(const RawSettings& raw, std::size_t i,
                                                      std::chrono::milliseconds fallback) {
    if (!raw.values[i]) return fallback;
    const auto value = core::parse_integer<long long>(*raw.values[i]);
    if (!value || *value < 1 || *value > k_max_timeout_ms) {
        return fail(Reason::bad_usage,
                    raw.origin[i] + ": must be 1.." + std::to_string(k_max_timeout_ms) + " (ms)");
    }
    return std::chrono::milliseconds(*value);
}

std::string value_or(const RawSettings& raw, std::string_view key) {
    const auto& value = raw.values[key_index(key)];
    return value ? *value : std::string();
}

// Where `key`'s value came from ("file:line: [na] key", "environment variable ..."), or
// "ALMS na" when it was not set.
std::string origin_of(const RawSettings& raw, std::string_view key, const std::string& dc_name) {
    const std::string& origin = raw.origin[key_index(key)];
    return origin.empty() ? "ALMS " + dc_name : origin;
}

core::Result<AccountType> account_type_of(const RawSettings& raw, const std::string& dc_name) {
    const std::string type = value_or(raw, "account_type");
    if (type.empty()) {
        return value_or(raw, "reseller_target_company").empty() ? AccountType::avc
                                                                : AccountType::reseller;
    }
    if (type == "avc") return AccountType::avc;
    if (type == "reseller") return AccountType::reseller;
    return fail(Reason::bad_usage, origin_of(raw, "account_type", dc_name) +
                                       ": must be \"avc\" (a customer's AVC account) or "
                                       "\"reseller\" (an ALMS Reseller account)");
}

// account_type, company_uid and reseller_target_company, judged together: a reseller's
// credentials must name the customer's company to act for, and never their own.
core::Result<void> read_account(const RawSettings& raw, const std::string& dc_name,
                                DataCenterConfig& out) {
    auto type = account_type_of(raw, dc_name);
    if (!type) return tl::unexpected(type.error());
    out.account_type = *type;
    out.company_uid = value_or(raw, "company_uid");
    out.reseller_target_company = value_or(raw, "reseller_target_company");
    const std::string target_origin = origin_of(raw, "reseller_target_company", dc_name);
    if (out.account_type == AccountType::avc) {
        if (out.reseller_target_company.empty()) return {};
        return fail(Reason::bad_usage, target_origin +
                                           ": only for account_type = \"reseller\" (an AVC "
                                           "account registers into its own company: company_uid)");
    }
    if (out.reseller_target_company.empty()) {
        return fail(Reason::bad_usage,
                    origin_of(raw, "account_type", dc_name) +
                        ": a reseller account without reseller_target_company would register "
                        "into the reseller's own account: " +
                        std::string(k_into_customer_account) +
                        "; set reseller_target_company to the customer's company uid");
    }
    if (out.reseller_target_company == out.company_uid) {
        return fail(Reason::bad_usage, target_origin + ": '" +
                                           core::sanitize_for_display(out.company_uid, 80) +
                                           "' is company_uid, the reseller's own account: " +
                                           std::string(k_into_customer_account));
    }
    return {};
}

core::Result<DataCenterConfig> validate(core::DataCenter dc, RawSettings& raw,
                                        const std::string& sources_text) {
    const std::string dc_name(core::to_string(dc));
    DataCenterConfig out;
    out.data_center = dc;
    out.client_id = value_or(raw, "client_id");
    out.client_secret = Secret(value_or(raw, "client_secret"));
    raw.values[key_index("client_secret")].reset();
    if (out.client_id.empty() || out.client_secret.empty()) {
        const std::string_view missing = out.client_id.empty() ? "client_id" : "client_secret";
        return fail(Reason::bad_usage, "ALMS " + dc_name + ": no " + std::string(missing) +
                                           " (set " + std::string(missing) + " in [" + dc_name +
                                           "] of " + sources_text + ", or " +
                                           env_name(dc, missing) + ")");
    }
    if (auto account = read_account(raw, dc_name, out); !account) {
        return tl::unexpected(account.error());
    }
    out.ca_bundle = value_or(raw, "ca_bundle");
    std::string url = value_or(raw, "base_url");
    if (url.empty()) url = std::string(core::default_base_url(dc));
    const std::string url_origin = origin_of(raw, "base_url", dc_name);
    auto base = check_base_url(url, url_origin);
    if (!base) return tl::unexpected(base.error());
    // The address of the other data center in this one's table would send every unit of this
    // region to the wrong data center, where it can never be registered: refuse it.
    if (const auto owner = core::data_center_of_host(base->host); owner && *owner != dc) {
        return fail(Reason::bad_usage, url_origin + ": " + displayable_url(url) + " is the " +
                                           std::string(core::to_string(*owner)) +
                                           " data center's address, not " + dc_name +
                                           "'s (units routed to " + dc_name + " must never reach " +
                                           std::string(core::to_string(*owner)) + ")");
    }
    out.base_url = *base;
    auto connect = timeout_value(raw, key_index("connect_timeout_ms"), out.connect_timeout);
    if (!connect) return tl::unexpected(connect.error());
    auto request = timeout_value(raw, key_index("request_timeout_ms"), out.request_timeout);
    if (!request) return tl::unexpected(request.error());
    out.connect_timeout = *connect;
    out.request_timeout = *request;
    return out;
}

}  // namespace

EnvLookup process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
    };
}

std::optional<std::filesystem::path> default_credentials_path(const EnvLookup& env) {
    if (const auto explicit_path = env("STATION_ALMS_CREDENTIALS");
        explicit_path && !explicit_path->empty()) {
        return std::filesystem::path(*explicit_path);
    }
    if (const auto xdg = env("XDG_CONFIG_HOME"); xdg && !xdg->empty()) {
        return std::filesystem::path(*xdg) / "station" / "credentials.toml";
    }
    if (const auto home = env("HOME"); home && !home->empty()) {
        return std::filesystem::path(*home) / ".config" / "station" / "credentials.toml";
    }
    return std::nullopt;
}

core::Result<Secret> read_private_file(const std::filesystem::path& path) {
    const std::string file = core::sanitize_for_display(path.string(), 200);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return fail(Reason::bad_usage,
                    "credentials file " + file + ": cannot open: " + std::strerror(errno));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return fail(Reason::bad_usage, "credentials file " + file + ": " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return fail(Reason::bad_usage, "credentials file " + file + " is not a regular file");
    }
    if ((st.st_mode & 077U) != 0) {
        return fail(Reason::bad_usage,
                    "credentials file " + file + " has mode " + mode_text(st.st_mode) +
                        ": it must not be accessible by group or others (chmod 600 " + file + ")");
    }
    if (st.st_uid != ::geteuid() && st.st_uid != 0) {
        return fail(Reason::bad_usage, "credentials file " + file + " is owned by uid " +
                                           std::to_string(st.st_uid) + ", not by this user");
    }
    if (st.st_size > static_cast<off_t>(k_max_file_bytes)) {
        return fail(Reason::bad_usage, "credentials file " + file + " is larger than " +
                                           std::to_string(k_max_file_bytes) + " bytes");
    }
    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < text.size()) {
        const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            return fail(Reason::bad_usage,
                        "credentials file " + file + ": read failed: " + std::strerror(errno));
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    text.resize(got);
    return Secret(std::move(text));
}

core::Result<DataCenterConfig> load_config(core::DataCenter data_center,
                                           const CredentialSources& sources) {
    const EnvLookup env = sources.env ? sources.env : process_environment();
    RawSettings raw;
    std::string sources_text = "the credentials file";
    std::optional<std::filesystem::path> file = sources.file;
    bool must_exist = file.has_value();
    if (!file) file = default_credentials_path(env);
    if (file) {
        sources_text = core::sanitize_for_display(file->string(), 200);
        std::error_code ec;
        const bool exists = std::filesystem::exists(*file, ec);
        if (must_exist || exists) {
            auto read = read_file_settings(*file, data_center, raw);
            if (!read) return tl::unexpected(read.error());
        }
    }
    for (std::size_t i = 0; i < k_keys.size(); ++i) {
        const std::string name = env_name(data_center, k_keys[i].name);
        if (auto value = env(name); value && !value->empty()) {
            raw.values[i] = std::move(*value);
            raw.origin[i] = "environment variable " + name;
        }
    }
    return validate(data_center, raw, sources_text);
}

}  // namespace station::alms
