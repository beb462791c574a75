// Start-up of the built station (issue 14 item 3): libcurl and TLS are not NEEDED by the
// binary (they live in the ALMS transport module, loaded on the ALMS path only); a module that
// cannot be loaded is a clear error naming its path, never a crash; commands parse only the
// profiles they use.
#include <gtest/gtest.h>

#include <elf.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <station/store/store.hpp>
#include "process.hpp"

namespace {

using namespace std::chrono_literals;

constexpr const char* k_station = STATION_BINARY_DIR "/station/station";
constexpr const char* k_module = STATION_BINARY_DIR "/station/station_alms_curl.so";

template <class T>
T read_at(const std::string& bytes, std::size_t offset) {
    T value{};
    if (offset + sizeof(T) > bytes.size()) throw std::runtime_error("ELF: truncated");
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return value;
}

// The DT_NEEDED entries of a 64-bit ELF file, read from its dynamic section.
std::vector<std::string> elf_needed(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto header = read_at<Elf64_Ehdr>(bytes, 0);
    if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64)
        throw std::runtime_error(path + ": not a 64-bit ELF file");
    const auto section = [&](std::size_t i) {
        return read_at<Elf64_Shdr>(bytes, header.e_shoff + i * header.e_shentsize);
    };
    std::vector<std::string> needed;
    for (std::size_t i = 0; i < header.e_shnum; ++i) {
        const auto dynamic = section(i);
        if (dynamic.sh_type != SHT_DYNAMIC) continue;
        const auto strings = section(dynamic.sh_link);
        for (std::size_t at = 0; at + sizeof(Elf64_Dyn) <= dynamic.sh_size; at += sizeof(Elf64_Dyn)) {
            const auto entry = read_at<Elf64_Dyn>(bytes, dynamic.sh_offset + at);
            if (entry.d_tag == DT_NULL) break;
            if (entry.d_tag == DT_NEEDED)
                needed.emplace_back(bytes.c_str() + strings.sh_offset + entry.d_un.d_val);
        }
    }
    return needed;
}

bool needs(const std::vector<std::string>& needed, const std::string& prefix) {
    for (const auto& lib : needed) {
        if (lib.rfind(prefix, 0) == 0) return true;
    }
    return false;
}

TEST(StartupLinks, StationNeedsNoCurlTlsKerberosOrLdap) {
    const auto needed = elf_needed(k_station);
    ASSERT_TRUE(needs(needed, "libc.so")) << "the reader found no NEEDED entries";
    for (const char* lib : {"libcurl", "libssl", "libcrypto", "libgnutls", "libgssapi", "libkrb5",
                            "libldap", "liblber", "libnghttp2", "libssh", "librtmp", "libidn2",
                            "libpsl", "libbrotli", "libzstd", "libz."}) {
        EXPECT_FALSE(needs(needed, lib)) << "station NEEDs " << lib;
    }
}

TEST(StartupLinks, TheAlmsModuleBesideTheBinaryCarriesLibcurl) {
    ASSERT_TRUE(std::filesystem::exists(k_module)) << k_module;
    EXPECT_TRUE(needs(elf_needed(k_module), "libcurl.so"));
}

// Each: the module file the station is pointed at, what it holds, what dlerror() says.
struct ModuleCase {
    const char* file;
    const char* contents;  // nullptr: no such file
    const char* copy_of;   // else a copy of this file
    const char* says;
};

constexpr ModuleCase k_module_cases[] = {
    {"missing.so", nullptr, nullptr, "No such file"},
    {"garbage.so",
     "This text file is long enough to be read as an ELF header, and it is not one at all.\n",
     nullptr, "invalid ELF header"},
    {"other.so", nullptr, "/usr/lib/x86_64-linux-gnu/libsqlite3.so.0", "not a station ALMS module"},
};

TEST(AlmsModule, AModuleThatDoesNotLoadIsAnErrorNamingItsPath) {
    tests::TempDir dir;
    const std::string db = dir.path() + "/station.db";
    ASSERT_TRUE(station::store::Store::open(db));
    for (const auto& c : k_module_cases) {
        SCOPED_TRACE(c.file);
        const std::string module = dir.path() + "/" + c.file;
        if (c.contents) std::ofstream(module) << c.contents;
        if (c.copy_of) std::filesystem::copy_file(c.copy_of, module);
        const auto result = tests::run_process(
            {"/usr/bin/env", "STATION_ALMS_MODULE=" + module, k_station, "register", "push",
             "--data-center", "na", "--db", db, "--credentials", dir.path() + "/none.toml"},
            30s);
        EXPECT_EQ(result.exit_code, 2) << result.err;  // ERROR, not a crash (signal: -1)
        EXPECT_NE(result.err.find("station: register push: error: cannot load the ALMS transport "
                                  "module " +
                                  module + ": "),
                  std::string::npos)
            << result.err;
        EXPECT_NE(result.err.find(c.says), std::string::npos) << result.err;
        EXPECT_NE(result.err.find("STATION_ALMS_MODULE"), std::string::npos) << result.err;
    }
}

}  // namespace
