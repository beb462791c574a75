// Concatenated command lines: composing the line, cutting the combined answer per command, and
// the run's memory of which form a (model, firmware) takes.
#include <drivers/router/concat.hpp>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

namespace {

using drivers::router::ConcatMemory;
using drivers::router::join_commands;
using drivers::router::Reader;
using drivers::router::split_answer;

struct JoinCase {
    std::vector<std::string> commands;
    std::string line;
};

class JoinCommands : public testing::TestWithParam<JoinCase> {};

TEST_P(JoinCommands, FollowsV250) {
    EXPECT_EQ(join_commands(GetParam().commands), GetParam().line);
}

INSTANTIATE_TEST_SUITE_P(
    Table, JoinCommands,
    testing::Values(JoinCase{{"AT+CPIN?", "AT!ICCID?", "AT+CIMI", "AT!PRIID?"},
                             "AT+CPIN?;!ICCID?;+CIMI;!PRIID?"},
                    JoinCase{{"ATE0", "ATI"}, "ATE0I"},         // basic ones appended
                    JoinCase{{"ATI", "AT+CGSN"}, "ATI+CGSN"},   // basic then extended
                    JoinCase{{"AT+CGSN", "ATI"}, "AT+CGSN;I"},  // extended ends with ';'
                    JoinCase{{"AT#CCID", "AT^ICCID?"}, "AT#CCID;^ICCID?"},
                    JoinCase{{"AT+CPIN?", "XYZ"}, ""},   // not a command
                    JoinCase{{"AT+CPIN?", "AT"}, ""}));  // nothing after AT

using Lines = std::vector<std::string>;
const std::vector<Reader> k_readers{Reader::cpin, Reader::iccid, Reader::imsi, Reader::priid};
const Lines k_cpin{"+CPIN: READY"};
const Lines k_iccid{"ICCID: 89014104273001549164"};
const Lines k_imsi{"310410730015491"};
const Lines k_pri{"PRI Part Number: 9908471", "Revision: 001.012_000",
                  "Carrier PRI: 9999999_9907261_SWI9X50C_01.14.22.00_00_ATT_001.034_000"};

Lines concat(std::initializer_list<Lines> parts) {
    Lines out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

TEST(SplitAnswer, EveryCommandAnswered) {
    const auto s = split_answer(concat({k_cpin, k_iccid, k_imsi, k_pri}), k_readers);
    EXPECT_EQ(s, (std::vector<Lines>{k_cpin, k_iccid, k_imsi, k_pri}));
}

TEST(SplitAnswer, OnlyTheFirstAnswered) {
    const auto s = split_answer(k_cpin, k_readers);
    EXPECT_EQ(s, (std::vector<Lines>{k_cpin, {}, {}, {}}));
}

TEST(SplitAnswer, AMissingAnswerLeavesItsSegmentEmpty) {
    const auto s = split_answer(concat({k_cpin, k_imsi, k_pri}), k_readers);
    EXPECT_EQ(s, (std::vector<Lines>{k_cpin, {}, k_imsi, k_pri}));
}

TEST(SplitAnswer, UnrecognisedFirstLinesAreNotTaken) {
    const auto s = split_answer({"garbage", "+CPIN: READY"}, k_readers);
    EXPECT_EQ(s, (std::vector<Lines>(4)));
}

TEST(ConcatMemory, UnitsProbeUntilLearntThenUseIt) {
    ConcatMemory memory;
    EXPECT_EQ(memory.begin("EM7565", "fw1"), ConcatMemory::Plan::probe);
    EXPECT_EQ(memory.begin("EM7565", "fw1"), ConcatMemory::Plan::probe) << "probe in flight";
    EXPECT_EQ(memory.begin("EM7565", "fw2"), ConcatMemory::Plan::probe) << "per firmware";
    memory.learn("EM7565", "fw1", true);
    EXPECT_EQ(memory.begin("EM7565", "fw1"), ConcatMemory::Plan::joined);
    memory.learn("EM7565", "fw2", false);
    EXPECT_EQ(memory.begin("EM7565", "fw2"), ConcatMemory::Plan::single);
}

TEST(ConcatMemory, AUnitsOwnFailureTeachesNothing) {
    ConcatMemory memory;
    EXPECT_EQ(memory.begin("EM7455", "fw"), ConcatMemory::Plan::probe);
    // the unit's own SIM error: nothing learnt (learn() not called)
    EXPECT_EQ(memory.begin("EM7455", "fw"), ConcatMemory::Plan::probe);
}

// Slots racing on the first units all try (none waits, none gives up the saving); once an
// answer is learnt, later units use it, and a refusal stays.
TEST(ConcatMemory, RacingSlotsAllTryThenUseWhatWasLearnt) {
    ConcatMemory memory;
    std::atomic<int> probes{0};
    std::vector<std::thread> slots;
    for (int i = 0; i < 16; ++i) {
        slots.emplace_back([&] {
            if (memory.begin("EM7565", "fw") == ConcatMemory::Plan::probe) ++probes;
        });
    }
    for (auto& t : slots) t.join();
    EXPECT_EQ(probes.load(), 16);
    memory.learn("EM7565", "fw", false);
    memory.learn("EM7565", "fw", true);  // a racing unit's line answered: the refusal stays
    EXPECT_EQ(memory.begin("EM7565", "fw"), ConcatMemory::Plan::single);
    memory.learn("EM7511", "fw", true);
    EXPECT_EQ(memory.begin("EM7511", "fw"), ConcatMemory::Plan::joined);
    EXPECT_EQ(memory.begin("EM7511", "fw2"), ConcatMemory::Plan::probe) << "per firmware";
}

}  // namespace
