// Strings from devices reach terminals, logs and CSV cells only through these.
#pragma once

#include <string>
#include <string_view>

namespace station::core {

// Printable ASCII passes; everything else (control bytes, ESC sequences, bytes >= 0x80)
// becomes a visible escape such as "\x1b", "\r" or "\n". Output is at most `max_len` bytes
// (a longer input ends with "..."), so a hostile device cannot flood a terminal.
std::string sanitize_for_display(std::string_view text, std::size_t max_len = 512);

}  // namespace station::core
