// Strict, typed access to one TOML table, for every data file the station reads (SKU
// profiles, routersim personalities, rigs, configuration). Every key read is remembered;
// reject_unknown() then reports the first key nobody asked for. The first problem (wrong type,
// bad enum value, missing key, out of range) is kept with the file and line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include <station/core/result.hpp>

namespace station::config {

// Parses TOML text; a syntax error becomes "<source>:<line>: <what>".
station::core::Result<toml::table> parse_toml(std::string_view text, std::string_view source);

// Reads a data file's bytes (at most 1 MiB); errors name the file.
station::core::Result<std::string> read_data_file(const std::filesystem::path& path);

// Reads and parses a file (at most 1 MiB); errors name the file.
station::core::Result<toml::table> read_toml_file(const std::filesystem::path& path);

// The first error seen across all readers of one file.
struct TomlProblems {
    std::string source;
    std::optional<station::core::Error> first;
    std::optional<station::core::Error> first_unknown;  // a typo explains a "missing" key
    std::vector<std::string> all{};                     // every "file:line: what", in order
    std::size_t more = 0;                               // reported past the bound on `all`

    static constexpr std::size_t k_max_listed = 50;

    void report(const toml::source_region& where, const std::string& what);
    void report_unknown(const toml::source_region& where, const std::string& what);

    // The error to show: an unknown key wins over whatever it caused.
    std::optional<station::core::Error> error() const {
        return first_unknown ? first_unknown : first;
    }
    // Every problem, one "file:line: what" per line (at most k_max_listed, then how many more),
    // for files whose author fixes them all in one go (rig files).
    std::optional<station::core::Error> every_error() const;

    void list(const std::string& message);  // adds to `all`, within its bound
};

enum class Need { required, optional };

class TomlReader {
  public:
    // `prefix` names the table in messages ("pri." for keys of [pri]).
    TomlReader(const toml::table& table, TomlProblems& problems, std::string prefix = "");

    std::optional<std::string> string(std::string_view key, Need need = Need::optional);
    std::optional<bool> boolean(std::string_view key);
    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max,
                                        Need need = Need::optional);
    std::optional<std::vector<std::string>> strings(std::string_view key,
                                                    Need need = Need::optional);
    // An array of integers, each within min..max.
    std::optional<std::vector<std::int64_t>> integers(std::string_view key, std::int64_t min,
                                                      std::int64_t max, Need need = Need::optional);
    // An array of tables ([[key]] entries); empty when absent.
    std::vector<const toml::table*> tables(std::string_view key, Need need = Need::optional);

    // A string that must be one of `choices` (name, value).
    template <class E>
    std::optional<E> choice(std::string_view key,
                            std::span<const std::pair<std::string_view, E>> choices) {
        const auto text = string(key);
        if (!text) return std::nullopt;
        for (const auto& [name, value] : choices) {
            if (name == *text) return value;
        }
        std::string allowed;
        for (const auto& entry : choices)
            allowed += (allowed.empty() ? "" : ", ") + std::string(entry.first);
        report(key, "'" + *text + "' is not one of " + allowed);
        return std::nullopt;
    }

    // A sub-table, or nullptr when absent (or not a table, which is reported).
    const toml::table* table(std::string_view key);

    // Reports the first key that no accessor asked for.
    void reject_unknown();
    // A key this file format no longer reads: when present, reported with `what` (where its
    // facts live now) instead of as an unknown key.
    void retired(std::string_view key, const std::string& what);

    // Reports a problem about `key` (at its line) after the value was read.
    void report(std::string_view key, const std::string& what);

    const std::string& prefix() const { return m_prefix; }

  private:
    const toml::node* find(std::string_view key, Need need);
    void wrong_type(std::string_view key, const toml::node& node, std::string_view wanted);

    const toml::table& m_table;
    TomlProblems& m_problems;
    std::string m_prefix;
    std::vector<std::string> m_seen;
};

}  // namespace station::config
