// The nightly regression's HTML page as a person sees it (issue 17): headless Chromium renders
// it to a PNG, which must be a real picture of the window's size with far more to it than a
// blank page rendered the same way (the IDAT size of a blank page is the calibration). Skipped
// where Chromium is not installed (scripts/setup installs Debian's `chromium`).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include <gtest/gtest.h>

#include <process.hpp>
#include <regress_sample.hpp>
#include <station/report/regress.hpp>

namespace tests {
namespace {

constexpr int k_width = 1280;
constexpr int k_height = 2000;

std::optional<std::string> find_chromium() {
    for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
        if (std::filesystem::exists(path)) return std::string(path);
    }
    return std::nullopt;
}

struct Png {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::size_t idat_bytes = 0;  // compressed image data, all IDAT chunks
};

std::uint32_t be32(const std::string& data, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        value = (value << 8) | static_cast<unsigned char>(data[at + i]);
    }
    return value;
}

// The PNG's signature, IHDR and IDAT sizes; nullopt (with a test failure) when it is not one.
std::optional<Png> read_png(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string signature("\x89PNG\r\n\x1a\n", 8);
    if (data.size() < 33 || data.compare(0, 8, signature) != 0 || data.compare(12, 4, "IHDR")) {
        ADD_FAILURE() << path << ": not a PNG (" << data.size() << " bytes)";
        return std::nullopt;
    }
    Png png{be32(data, 16), be32(data, 20), 0};
    for (std::size_t at = 8; at + 12 <= data.size();) {
        const std::size_t length = be32(data, at);
        if (data.compare(at + 4, 4, "IDAT") == 0) png.idat_bytes += length;
        if (data.compare(at + 4, 4, "IEND") == 0) return png;
        at += 12 + length;
    }
    ADD_FAILURE() << path << ": no IEND chunk";
    return std::nullopt;
}

// Renders `html` in headless Chromium to a PNG of the window's size; its figures.
std::optional<Png> render(const std::string& chromium, const TempDir& dir, const std::string& name,
                          const std::string& html) {
    const std::string page = dir.path() + "/" + name + ".html";
    const std::string png = dir.path() + "/" + name + ".png";
    std::ofstream(page) << html;
    const auto result =
        run_process({chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     "--force-device-scale-factor=1",
                     "--user-data-dir=" + dir.path() + "/profile-" + name, "--screenshot=" + png,
                     "--window-size=" + std::to_string(k_width) + "," + std::to_string(k_height),
                     "file://" + page},
                    std::chrono::seconds(50));
    EXPECT_FALSE(result.timed_out) << name << ": chromium did not finish in 50 s";
    EXPECT_EQ(result.exit_code, 0) << name << ": " << result.err;
    if (!std::filesystem::exists(png)) {
        ADD_FAILURE() << name << ": no screenshot written\n" << result.err;
        return std::nullopt;
    }
    return read_png(png);
}

TEST(RegressHtmlRender, ChromiumDrawsTheReport) {
    const auto chromium = find_chromium();
    if (!chromium) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
    TempDir dir;
    const auto blank = render(*chromium, dir, "blank",
                              "<!DOCTYPE html>\n<html><head><title>blank</title></head>"
                              "<body></body></html>\n");
    const auto report = render(*chromium, dir, "report",
                               station::report::regress_html(regress_sample(24, 30, true)));
    ASSERT_TRUE(blank && report);
    for (const auto& png : {*blank, *report}) {
        EXPECT_EQ(png.width, static_cast<std::uint32_t>(k_width));
        EXPECT_EQ(png.height, static_cast<std::uint32_t>(k_height));
    }
    // A blank page compresses to almost nothing; the table, text and charts do not.
    EXPECT_GT(report->idat_bytes, 4 * blank->idat_bytes);
    EXPECT_GT(report->idat_bytes, blank->idat_bytes + 50'000);
}

}  // namespace
}  // namespace tests
