// Choosing a view: the mode, the glyphs the locale can show, the terminal's size.
#include <station/app/pallet_view.hpp>

#include <sys/ioctl.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace station::app {
namespace {

std::string_view env(const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string_view(value) : std::string_view();
}

bool names_utf8(std::string_view locale) {
    std::string lower;
    for (const char c : locale) {
        if (c != '-') lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return lower.find("utf8") != std::string::npos;
}

}  // namespace

ViewMode choose_view(bool json_events, bool stdout_is_tty) {
    if (json_events) return ViewMode::json;
    return stdout_is_tty ? ViewMode::live : ViewMode::plain;
}

Glyphs glyphs_for_locale(std::string_view lc_all, std::string_view lc_ctype,
                         std::string_view lang) {
    // POSIX precedence: the first one set decides.
    for (const auto locale : {lc_all, lc_ctype, lang}) {
        if (!locale.empty()) return names_utf8(locale) ? Glyphs::unicode : Glyphs::ascii;
    }
    return Glyphs::ascii;
}

Glyphs glyphs_from_environment() {
    return glyphs_for_locale(env("LC_ALL"), env("LC_CTYPE"), env("LANG"));
}

TermSize FdTerminalSize::size() const {
    winsize ws{};
    if (::ioctl(m_fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0) return {};
    return {ws.ws_col, ws.ws_row};
}

std::unique_ptr<workflows::EventSink> make_event_sink(ViewMode mode, std::ostream& out,
                                                      std::unique_ptr<TerminalSize> size,
                                                      bool shift) {
    switch (mode) {
        case ViewMode::json:
            return std::make_unique<JsonEvents>(out);
        case ViewMode::plain:
            return std::make_unique<PlainEvents>(out);
        case ViewMode::live:
            break;
    }
    LiveTableOptions options;
    options.glyphs = glyphs_from_environment();
    options.colour = env("NO_COLOR").empty();  // https://no-color.org
    options.shift = shift;
    if (!size) size = std::make_unique<FdTerminalSize>(STDOUT_FILENO);
    return std::make_unique<LiveTable>(out, std::move(size), std::move(options));
}

}  // namespace station::app
