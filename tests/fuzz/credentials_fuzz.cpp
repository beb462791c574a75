// Fuzz target: the ALMS credentials file (station/alms/config.cpp), read as the station reads it:
// the input is written to a private (0600) file, then load_config reads it for each data center
// with an empty environment. Beyond no crash: error messages are display-safe and never hold the
// value of a client_secret line of the input.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <station/alms/config.hpp>

#include "fuzz_support.hpp"

namespace {

namespace fs = std::filesystem;

// One private file per process, rewritten for every input, removed at exit.
struct ScratchFile {
    fs::path path;
    ScratchFile() {
        const char* tmp = std::getenv("TMPDIR");
        const fs::path dir = fs::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp");
        path = dir / ("station-credentials-fuzz-" + std::to_string(::getpid()) + ".toml");
    }
    ~ScratchFile() {
        std::error_code ec;
        fs::remove(path, ec);
    }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
};

const fs::path& credentials_file() {
    static const ScratchFile file;
    return file.path;
}

void write_private(const fs::path& path, std::string_view text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    fuzz::require(fd >= 0, "the fuzz credentials file can be written", path.string());
    ::fchmod(fd, 0600);
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        fuzz::require(n > 0, "the fuzz credentials file can be written", path.string());
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

// The value of the input's first `client_secret = "..."` line (a plain basic string), if any.
std::string secret_in(std::string_view text) {
    const auto key = text.find("client_secret = \"");
    if (key == std::string_view::npos) return {};
    const auto start = key + 17;
    const auto end = text.find('"', start);
    if (end == std::string_view::npos) return {};
    return std::string(text.substr(start, end - start));
}

// The same text with the secret's characters changed (same length, so the same TOML shape and
// lines): a message that still shows the secret's text then took it from elsewhere (the file
// name, a key), not from the value.
std::string with_secret_changed(std::string_view text, std::string_view secret) {
    std::string changed(text);
    const auto at = changed.find("client_secret = \"") + 17;
    for (std::size_t i = 0; i < secret.size(); ++i) {
        changed[at + i] = changed[at + i] == 'x' ? 'y' : 'x';
    }
    return changed;
}

std::string load_error(station::core::DataCenter dc, std::string_view text) {
    write_private(credentials_file(), text);
    station::alms::CredentialSources sources;
    sources.file = credentials_file();
    sources.env = [](const std::string&) { return std::optional<std::string>(); };
    const auto config = station::alms::load_config(dc, sources);
    return config ? std::string() : config.error().message;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    const std::string secret = secret_in(text);
    for (const auto dc : {station::core::DataCenter::na, station::core::DataCenter::eu}) {
        const std::string message = load_error(dc, text);
        fuzz::check_message(message);
        if (secret.size() < 8 || secret.find_first_of("\\\n") != std::string::npos ||
            message.find(secret) == std::string::npos) {
            continue;
        }
        const std::string other = load_error(dc, with_secret_changed(text, secret));
        fuzz::require(other.find(secret) != std::string::npos,
                      "a credentials error never shows the client secret", message);
    }
    return 0;
}
