// Per-data-center ALMS settings and where the credentials come from.
//
// Credentials live in a TOML file (default ~/.config/station/credentials.toml, or
// $STATION_ALMS_CREDENTIALS, or --credentials) with one table per data center:
//
//     [na]
//     client_id = "..."
//     client_secret = "..."
//     account_type = "avc"                # optional: "avc" or "reseller", see AccountType
//     company_uid = "..."                 # optional
//     reseller_target_company = "..."     # optional (reseller accounts)
//     base_url = "https://na.airvantage.net"   # optional, default from core::default_base_url
//     ca_bundle = "/etc/station/proxy-ca.pem"  # optional
//     connect_timeout_ms = 10000          # optional
//     request_timeout_ms = 30000          # optional
//
// or in environment variables STATION_ALMS_<NA|EU>_<KEY upper-cased> (which win over the
// file). The file must be a regular file owned by the user (or root) with no group/other
// permission bits; otherwise it is refused and the message names the file and its mode.
// Secrets are never taken from command-line arguments and never appear in messages. Errors
// about a file's key say `file:line: [na] key: ...`.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <station/alms/secret.hpp>
#include <station/alms/url.hpp>
#include <station/core/region.hpp>
#include <station/core/result.hpp>

namespace station::alms {

// The kind of ALMS account the client id/secret belong to (DOMAIN.md). XR units are registered
// into a customer's AVC account ("AVC (Connectivity + Device Management)"); an ALMS Reseller
// account holds at most 20 devices and supports neither SIM cards nor Semtech connectivity, so
// with reseller credentials every unit goes into a customer's company (company=<uid>), never
// into the reseller's own account. Default: reseller when reseller_target_company is set,
// else avc.
enum class AccountType { avc, reseller };

struct DataCenterConfig {
    core::DataCenter data_center = core::DataCenter::na;
    AccountType account_type = AccountType::avc;
    BaseUrl base_url;
    std::string client_id;
    Secret client_secret;
    std::string company_uid;              // the credentials' own company (reseller: its own)
    std::string reseller_target_company;  // reseller: the customer's AVC company
    std::string ca_bundle;
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds request_timeout{30000};
};

// Looks up an environment variable (injectable for tests).
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
EnvLookup process_environment();

struct CredentialSources {
    // A file named by the user (--credentials): must exist. When empty, the default file is
    // used if it exists ($STATION_ALMS_CREDENTIALS, $XDG_CONFIG_HOME/station/credentials.toml,
    // $HOME/.config/station/credentials.toml).
    std::optional<std::filesystem::path> file;
    EnvLookup env;
};

// The default credentials file path, from `env` (nullopt when HOME is unknown too).
std::optional<std::filesystem::path> default_credentials_path(const EnvLookup& env);

// Loads one data center's settings. Fails (bad_usage) naming the file, key or variable when
// the file is unsafe or malformed, a value is invalid, client id/secret are missing, or a
// reseller account would register XR units into its own account (no reseller_target_company,
// or one naming company_uid).
core::Result<DataCenterConfig> load_config(core::DataCenter data_center,
                                           const CredentialSources& sources);

// Reads a credentials file after checking owner and mode on the open descriptor; the text is
// returned wrapped as a Secret (it holds secrets). At most 64 KiB.
core::Result<Secret> read_private_file(const std::filesystem::path& path);

}  // namespace station::alms
