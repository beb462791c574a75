// The ALMS transport module: the libcurl transport (and so libcurl, TLS, Kerberos, LDAP...) in
// its own shared module, station_alms_curl.so, that the station binary dlopen()s only on its
// ALMS path (register push, provision --push). Every other command starts without them.
//
// The module exports four C symbols (alms_module.cpp). They pass C++ types of this build, so a
// module is only used by the binary built with it: k_transport_module_abi must match.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <station/alms/curl_transport.hpp>
#include <station/alms/http_date.hpp>
#include <station/alms/transport.hpp>
#include <station/alms/url_parts.hpp>
#include <station/core/result.hpp>

namespace station::alms {

inline constexpr int k_transport_module_abi = 2;  // 2: parse_http_date
inline constexpr const char* k_transport_module_file = "station_alms_curl.so";
inline constexpr const char* k_transport_module_env = "STATION_ALMS_MODULE";

// The module's entry points.
extern "C" {
using ModuleAbiFn = int (*)();
// A new transport, or null with *error set.
using ModuleNewTransportFn = Transport* (*)(const TransportOptions* options, std::string* error);
// 1: parsed into *out; 0: not a valid absolute URL; -1: failed, *error says why.
using ModuleParseUrlFn = int (*)(const std::string* url, UrlParts* out, std::string* error);
// 1: parsed into *seconds; 0: not a date; -1: failed, *error says why.
using ModuleParseDateFn = int (*)(const std::string* text, std::int64_t* seconds,
                                  std::string* error);
}
inline constexpr const char* k_module_abi_symbol = "station_alms_module_abi";
inline constexpr const char* k_module_new_transport_symbol = "station_alms_module_new_transport";
inline constexpr const char* k_module_parse_url_symbol = "station_alms_module_parse_url";
inline constexpr const char* k_module_parse_date_symbol = "station_alms_module_parse_http_date";

// Where the module is looked for: $STATION_ALMS_MODULE alone when set; else beside the running
// binary (the build tree), then <prefix>/lib/station/ for an installed <prefix>/bin/station.
std::vector<std::filesystem::path> transport_module_candidates();

// Loads the module once per process (never unloaded). The error names the path and dlerror().
core::Result<bool> load_transport_module();

// A libcurl transport made by the module.
core::Result<std::unique_ptr<Transport>> make_curl_transport(const TransportOptions& options);

}  // namespace station::alms
