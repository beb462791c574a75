// Reading a profiles folder hashes its files only when asked (FileHashes): provision records
// the hashes; identify, scan and `profiles list|check` skip them. Either way every file is read
// and checked the same.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <profiles/loader.hpp>
#include "process.hpp"

namespace {

const std::filesystem::path k_shipped = STATION_SOURCE_DIR "/profiles";

// sha256sum's digest of a file: an implementation other than the station's.
std::string sha256sum(const std::filesystem::path& path) {
    const auto r = tests::run_process({"/usr/bin/sha256sum", path.string()}, std::chrono::seconds(10));
    return r.out.substr(0, 64);
}

TEST(ProfileHashes, ComputedOnlyWhenAsked) {
    const auto hashed = profiles::load_profile_dir(k_shipped, profiles::FileHashes::compute);
    const auto plain = profiles::load_profile_dir(k_shipped, profiles::FileHashes::skip);
    ASSERT_TRUE(hashed.ok()) << hashed.error_text();
    ASSERT_TRUE(plain.ok()) << plain.error_text();
    ASSERT_FALSE(hashed.profiles.empty());
    ASSERT_EQ(hashed.profiles.size(), plain.profiles.size());
    for (std::size_t i = 0; i < hashed.profiles.size(); ++i) {
        const auto& p = hashed.profiles[i];
        EXPECT_EQ(p.sha256, sha256sum(p.source)) << p.name();
        EXPECT_EQ(plain.profiles[i].sha256, "") << p.name();
        EXPECT_EQ(plain.profiles[i].name(), p.name());
        EXPECT_EQ(plain.profiles[i].sku.part_numbers, p.sku.part_numbers);
    }
    EXPECT_EQ(hashed.tables.sha256, sha256sum(k_shipped / profiles::k_tables_file));
    EXPECT_EQ(plain.tables.sha256, "");
    EXPECT_EQ(plain.tables.source, hashed.tables.source);
}

TEST(ProfileHashes, SkippingThemStillChecksEveryFile) {
    tests::TempDir dir;
    for (const auto& entry : std::filesystem::directory_iterator(k_shipped)) {
        if (entry.path().extension() == ".toml")
            std::filesystem::copy_file(entry.path(), dir.path() / entry.path().filename());
    }
    std::ofstream(dir.path() + "/broken.toml") << "name = \"broken\"\nnot toml at all\n";
    const auto plain = profiles::load_profile_dir(dir.path(), profiles::FileHashes::skip);
    ASSERT_FALSE(plain.ok());
    EXPECT_NE(plain.error_text().find("broken.toml"), std::string::npos) << plain.error_text();
}

}  // namespace
