// Every parser against line noise: random bytes around a valid answer must not change it,
// random lines alone must not crash, and a flood of long lines is handled in bounded time.
#include <drivers/at/parsers.hpp>
#include <station/core/sanitize.hpp>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

namespace at = drivers::at;

constexpr unsigned k_seed = 20240611;  // fixed: failures must reproduce
constexpr int k_rounds = 200;

// A line of random bytes holding at least one control byte, so parsers must skip it.
std::string noisy_line(std::mt19937& rng) {
    std::uniform_int_distribution<int> length(1, 3000);
    std::uniform_int_distribution<int> byte(0, 255);
    std::string line(static_cast<std::size_t>(length(rng)), ' ');
    for (char& c : line) c = static_cast<char>(byte(rng));
    std::uniform_int_distribution<std::size_t> where(0, line.size() - 1);
    line[where(rng)] = '\x01';
    return line;
}

// `answer` with noisy lines before, between and after.
std::vector<std::string> buried(std::mt19937& rng, const std::vector<std::string>& answer) {
    std::vector<std::string> lines;
    std::uniform_int_distribution<int> count(0, 4);
    for (const auto& line : answer) {
        for (int i = count(rng); i > 0; --i) lines.push_back(noisy_line(rng));
        lines.push_back(line);
    }
    for (int i = count(rng); i > 0; --i) lines.push_back(noisy_line(rng));
    return lines;
}

TEST(GarbageParse, NoiseAroundAnswersChangesNothing) {
    std::mt19937 rng(k_seed);
    for (int round = 0; round < k_rounds; ++round) {
        const auto imei = at::parse_cgsn_response(buried(rng, {"+CGSN: 359072060054893"}));
        ASSERT_TRUE(imei) << imei.error().message;
        EXPECT_EQ(*imei, "359072060054893");
        const auto iccid =
            at::parse_iccid_response(buried(rng, {"+CRSM: 144,0,\"98101430121181157002\""}));
        ASSERT_TRUE(iccid) << iccid.error().message;
        EXPECT_EQ(*iccid, "89014103211118510720");
        const auto ati = at::parse_ati_response(buried(rng, {"Quectel", "EC25", "Revision: R"}));
        ASSERT_TRUE(ati) << ati.error().message;
        EXPECT_EQ(ati->model, "EC25");
        const auto pri = at::parse_priid_read_response(buried(rng, {"Carrier PRI: ATT"}));
        ASSERT_TRUE(pri) << pri.error().message;
        EXPECT_EQ(pri->carriers, std::vector<std::string>{"ATT"});
        const auto cpin = at::parse_cpin_read_response(buried(rng, {"+CPIN: READY"}));
        ASSERT_TRUE(cpin) << cpin.error().message;
        EXPECT_EQ(cpin->status, station::core::SimStatus::ready);
    }
}

// Any bytes at all, printable ones included: results may vary, but nothing crashes and
// every error is a protocol_error with a bounded, printable message.
TEST(GarbageParse, RandomLinesNeverCrash) {
    std::mt19937 rng(k_seed + 1);
    std::uniform_int_distribution<int> length(0, 200);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> count(0, 8);
    for (int round = 0; round < k_rounds; ++round) {
        std::vector<std::string> lines(static_cast<std::size_t>(count(rng)));
        for (auto& line : lines) {
            line.resize(static_cast<std::size_t>(length(rng)));
            for (char& c : line) c = static_cast<char>(byte(rng));
        }
        const auto check = [](const auto& result) {
            if (result) return;
            EXPECT_EQ(result.error().reason, station::core::Reason::protocol_error);
            EXPECT_LT(result.error().message.size(), 500U);
            // Printable: valid UTF-8 (device bytes that form printable text are shown as
            // they are) with no control or terminal character.
            EXPECT_TRUE(station::core::is_display_safe(result.error().message))
                << result.error().message;
        };
        check(at::parse_ati_response(lines));
        check(at::parse_cgsn_response(lines));
        check(at::parse_cimi_response(lines));
        check(at::parse_cpin_read_response(lines));
        check(at::parse_iccid_response(lines));
        check(at::parse_priid_read_response(lines));
        check(at::parse_impref_read_response(lines));
    }
}

TEST(GarbageParse, FloodOfLongLinesIsBounded) {
    const std::vector<std::string> lines(2000, std::string(100000, '8'));
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(at::parse_iccid_response(lines));
    EXPECT_FALSE(at::parse_cgsn_response(lines));
    EXPECT_FALSE(at::parse_ati_response(lines));
    // Over-long lines are skipped unread; a generous bound that still catches quadratic work.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
