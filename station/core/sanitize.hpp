// Strings from devices and people reach terminals, logs and CSV cells only through these.
#pragma once

#include <string>
#include <string_view>

namespace station::core {

// Printable text passes, in any language (valid UTF-8: "Zoë", "パレット-7"); everything that
// could act on a terminal or hide what is there becomes a visible escape: C0 controls and DEL
// ("\x1b", "\r", "\n", "\t"), C1 controls, line separators and bidirectional overrides
// ("\u0085", "\u202e", see core::must_escape), and each byte of invalid UTF-8 ("\xff"); a
// backslash is doubled. Output is at most `max_len` bytes (a bound for logs, cells and
// messages; terminal columns are core::display_width's business); a longer input ends with
// "..." and is cut between whole characters and whole escapes, never inside a UTF-8 sequence.
std::string sanitize_for_display(std::string_view text, std::size_t max_len = 512);

// A value quoted inside a one-line message (a manifest cell, a golden-file value):
// sanitize_for_display at most 64 bytes.
std::string shown(std::string_view value);

// True when sanitize_for_display would only double backslashes: valid UTF-8 without any code
// point that must be escaped.
bool is_display_safe(std::string_view text);

}  // namespace station::core
