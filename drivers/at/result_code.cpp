#include <drivers/at/result_code.hpp>

#include <algorithm>
#include <array>

#include <station/core/text.hpp>

namespace drivers::at {
namespace {

using station::core::iequals;
using station::core::istarts_with;

struct Plain {
    std::string_view text;
    FinalKind kind;
};
constexpr std::array k_plain{Plain{"OK", FinalKind::ok},
                             Plain{"ERROR", FinalKind::error},
                             Plain{"NO CARRIER", FinalKind::no_carrier},
                             Plain{"BUSY", FinalKind::busy},
                             Plain{"NO ANSWER", FinalKind::no_answer},
                             Plain{"NO DIALTONE", FinalKind::no_dialtone}};

// Verbose CME texts of the SIM errors that decide an outcome (27.007 section 9.2.1).
struct CmeText {
    int code;
    std::string_view text;
};
constexpr std::array k_cme_texts{CmeText{10, "SIM not inserted"},
                                 CmeText{11, "SIM PIN required"},
                                 CmeText{12, "SIM PUK required"},
                                 CmeText{13, "SIM failure"},
                                 CmeText{14, "SIM busy"},
                                 CmeText{15, "SIM wrong"},
                                 CmeText{3, "operation not allowed"},
                                 CmeText{4, "operation not supported"},
                                 CmeText{100, "unknown"}};

std::optional<int> cme_code_of_text(std::string_view text) {
    for (const auto& row : k_cme_texts) {
        if (iequals(row.text, text)) return row.code;
    }
    return std::nullopt;
}

std::optional<FinalResult> parse_extended_error(std::string_view line, std::string_view prefix,
                                                FinalKind kind) {
    if (!istarts_with(line, prefix)) return std::nullopt;
    FinalResult result{kind, std::nullopt, {}};
    const std::string_view rest = station::core::trim_space(line.substr(prefix.size()));
    if (const auto code = station::core::parse_integer<int>(rest)) {
        result.code = *code;
    } else {
        result.text = std::string(rest);
        if (kind == FinalKind::cme_error) result.code = cme_code_of_text(rest);
    }
    return result;
}

// Prefixes of unsolicited result codes seen on Sierra, Qualcomm and 27.007 modules.
constexpr std::array<std::string_view, 24> k_urc_prefixes{
    "+CREG:", "+CGREG:", "+CEREG:",  "+C5GREG:", "RING",   "+CRING:",     "+CLIP:",    "+CMTI:",
    "+CMT:",  "+CDS:",   "+CBM:",    "+CUSD:",   "+CIEV:", "+CPIN:",      "^SYSSTART", "^MODE:",
    "^RSSI:", "+PACSP",  "!PCINFO:", "+QIND:",   "+CGEV:", "$QCSIMSTAT:", "+STKPCI:",  "+CTZV:"};

}  // namespace

std::optional<FinalResult> parse_final_result(std::string_view raw) {
    const std::string_view line = station::core::trim_space(raw);
    for (const auto& row : k_plain) {
        if (iequals(line, row.text)) return FinalResult{row.kind, std::nullopt, {}};
    }
    if (auto cme = parse_extended_error(line, "+CME ERROR:", FinalKind::cme_error)) return cme;
    return parse_extended_error(line, "+CMS ERROR:", FinalKind::cms_error);
}

std::string describe(const FinalResult& result) {
    switch (result.kind) {
        case FinalKind::ok:
            return "OK";
        case FinalKind::error:
            return "ERROR";
        case FinalKind::no_carrier:
            return "NO CARRIER";
        case FinalKind::busy:
            return "BUSY";
        case FinalKind::no_answer:
            return "NO ANSWER";
        case FinalKind::no_dialtone:
            return "NO DIALTONE";
        case FinalKind::cme_error:
        case FinalKind::cms_error:
            break;
    }
    std::string out = result.kind == FinalKind::cme_error ? "+CME ERROR: " : "+CMS ERROR: ";
    if (result.code) out += std::to_string(*result.code);
    if (!result.text.empty()) out += result.code ? " (" + result.text + ")" : result.text;
    return out;
}

bool is_unsolicited(std::string_view raw, std::string_view command) {
    const std::string_view line = station::core::trim_space(raw);
    for (const auto prefix : k_urc_prefixes) {
        if (!istarts_with(line, prefix)) continue;
        // The command's own response prefix: "AT+CPIN?" answers "+CPIN: ...", and so does
        // every command of a concatenated line ("AT+CIMI;+CPIN?").
        std::string_view cmd = command;
        if (istarts_with(cmd, "AT")) cmd.remove_prefix(2);
        const std::string_view name = prefix.substr(0, prefix.find(':'));
        while (!name.empty()) {
            if (istarts_with(cmd, name)) return false;
            const auto next = cmd.find(';');
            if (next == std::string_view::npos) break;
            cmd.remove_prefix(next + 1);
        }
        return true;
    }
    return false;
}

}  // namespace drivers::at
