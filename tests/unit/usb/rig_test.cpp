// Rig files: good files, every kind of mistake with its file:line, the shipped rigs,
// rendering round trip, and binding simulated slots to routersim ports.
#include <fixtures/rig/rig.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "process.hpp"

namespace {

using fixtures::rig::load_rig;
using fixtures::rig::parse_rig;
using fixtures::rig::Rig;
using fixtures::rig::SlotKind;
using station::core::Reason;

TEST(Rig, ReadsEveryKindOfSlot) {
    const auto rig = parse_rig(R"(name = "mixed"
slot = [
  { label = "A1", usb = "1-1.3" },
  { label = "X1", port = "/dev/ttyUSB9" },
  { label = "S1", sim = "xr90-na", faults = ["late=3000", "no_sim"] },
]
)",
                               "mixed.toml");
    ASSERT_TRUE(rig.has_value()) << rig.error().message;
    EXPECT_EQ(rig->name, "mixed");
    ASSERT_EQ(rig->slots.size(), 3U);
    EXPECT_EQ(rig->slots[0].kind, SlotKind::usb);
    EXPECT_EQ(rig->slots[0].usb, "1-1.3");
    EXPECT_EQ(rig->slots[0].line, 3);
    EXPECT_EQ(rig->slots[1].kind, SlotKind::port);
    EXPECT_EQ(rig->slots[1].port, "/dev/ttyUSB9");
    EXPECT_EQ(rig->slots[2].kind, SlotKind::sim);
    EXPECT_EQ(rig->slots[2].sim, "xr90-na");
    EXPECT_EQ(rig->slots[2].faults, (std::vector<std::string>{"late=3000", "no_sim"}));
}

TEST(Rig, AcceptsArrayOfTablesForm) {
    const auto rig = parse_rig(
        "[[slot]]\nlabel = \"B1\"\nusb = \"2-4\"\n\n[[slot]]\n"
        "label = \"B2\"\nusb = \"2-5\"\n",
        "tables.toml");
    ASSERT_TRUE(rig.has_value()) << rig.error().message;
    ASSERT_EQ(rig->slots.size(), 2U);
    EXPECT_EQ(rig->slots[1].label, "B2");
    EXPECT_EQ(rig->slots[1].line, 5);
}

struct BadRig {
    const char* name;
    const char* text;
    const char* message;
};

class RigMistakes : public testing::TestWithParam<BadRig> {};

TEST_P(RigMistakes, AreReportedWithFileAndLine) {
    const auto rig = parse_rig(GetParam().text, "bench.toml");
    ASSERT_FALSE(rig.has_value());
    EXPECT_EQ(rig.error().reason, Reason::bad_usage);
    EXPECT_EQ(rig.error().message, std::string(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Table, RigMistakes,
    testing::Values(
        BadRig{"duplicate_slot",
               "slot = [\n { label = \"A1\", usb = \"1-1.1\" },\n { label = \"A1\", usb = "
               "\"1-1.2\" },\n]\n",
               "bench.toml:3: duplicate slot 'A1' (first at line 2)"},
        BadRig{"duplicate_port_chain",
               "slot = [\n { label = \"A1\", usb = \"1-1.1\" },\n { label = \"A2\", usb = "
               "\"1-1.1\" },\n]\n",
               "bench.toml:3: slot 'A2': duplicate port chain 1-1.1 (first at line 2)"},
        BadRig{"duplicate_tty",
               "slot = [\n { label = \"A1\", port = \"/dev/ttyUSB0\" },\n\n { label = \"A2\", port "
               "= \"/dev/ttyUSB0\" },\n]\n",
               "bench.toml:4: slot 'A2': duplicate port /dev/ttyUSB0 (first at line 2)"},
        BadRig{"malformed_line",
               "slot = [\n { label = \"A1\", usb = \"1-1.1\" },\n { label = A2 },\n]\n",
               "bench.toml:3: Error while parsing value: could not determine value type"},
        BadRig{"unknown_key", "slot = [\n { label = \"A1\", usb = \"1-1.1\", hub = 3 },\n]\n",
               "bench.toml:2: unknown key 'slot.hub'"},
        BadRig{"unknown_top_key", "nmae = \"x\"\nslot = [ { label = \"A1\", usb = \"1-1\" } ]\n",
               "bench.toml:1: unknown key 'nmae'"},
        BadRig{"no_label", "name = \"x\"\nslot = [ { usb = \"1-1\" } ]\n",
               "bench.toml:2: slot without 'label'"},
        BadRig{"bad_label", "slot = [ { label = \"A 1\", usb = \"1-1\" } ]\n",
               "bench.toml:1: key 'slot.label': 'A 1' is not a slot label (1-32 of A-Z a-z 0-9 - _ "
               ".)"},
        BadRig{"two_places",
               "slot = [\n { label = \"A1\", usb = \"1-1\", port = \"/dev/ttyUSB0\" },\n]\n",
               "bench.toml:2: slot 'A1': needs exactly one of usb, port or sim"},
        BadRig{"no_place", "slot = [\n { label = \"A1\" },\n]\n",
               "bench.toml:2: slot 'A1': needs exactly one of usb, port or sim"},
        BadRig{"bad_chain", "slot = [\n { label = \"A1\", usb = \"/dev/ttyUSB0\" },\n]\n",
               "bench.toml:2: key 'slot.usb': '/dev/ttyUSB0' is not a USB port chain like 1-1.3"},
        BadRig{"relative_port", "slot = [\n { label = \"A1\", port = \"ttyUSB0\" },\n]\n",
               "bench.toml:2: key 'slot.port': must be an absolute tty path like /dev/ttyUSB2"},
        BadRig{"faults_without_sim",
               "slot = [\n { label = \"A1\", usb = \"1-1\", faults = [\"silent\"] },\n]\n",
               "bench.toml:2: key 'slot.faults': only a sim slot has faults"},
        BadRig{"bad_sim", "slot = [\n { label = \"A1\", sim = \"../etc\" },\n]\n",
               "bench.toml:2: key 'slot.sim': '../etc' is not a routersim personality name"},
        BadRig{"wrong_type", "slot = [\n { label = 7, usb = \"1-1\" },\n]\n",
               "bench.toml:2: key 'slot.label': expected a string, got integer"},
        BadRig{"no_slots", "name = \"x\"\n", "bench.toml: missing required key 'slot'"},
        BadRig{"empty_slots", "slot = []\n", "bench.toml:1: no slots (slot = [] is empty)"},
        BadRig{"hostile_label", "slot = [ { label = \"\\u001b[2J\", usb = \"1-1\" } ]\n",
               "bench.toml:1: key 'slot.label': '\\x1b[2J' is not a slot label (1-32 of A-Z a-z "
               "0-9 - _ .)"}),
    [](const testing::TestParamInfo<BadRig>& param) { return std::string(param.param.name); });

TEST(Rig, UnreadableOrMissingFileIsNamed) {
    const auto missing = load_rig("/nonexistent/rig.toml");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().reason, Reason::bad_usage);
    EXPECT_EQ(missing.error().message.rfind("/nonexistent/rig.toml: cannot read", 0), 0U)
        << missing.error().message;

    const auto directory = load_rig("/");
    ASSERT_FALSE(directory.has_value());
    EXPECT_EQ(directory.error().message.rfind("/: ", 0), 0U) << directory.error().message;

    if (::geteuid() != 0) {  // root reads files whatever their mode
        tests::TempDir dir;
        const std::string path = dir.path() + "/locked.toml";
        std::ofstream(path) << "slot = [ { label = \"A1\", usb = \"1-1\" } ]\n";
        ::chmod(path.c_str(), 0);
        const auto locked = load_rig(path);
        ASSERT_FALSE(locked.has_value());
        EXPECT_EQ(locked.error().message.rfind(path + ": ", 0), 0U) << locked.error().message;
    }
}

TEST(Rig, ShippedRigsLoad) {
    const auto bench = load_rig(STATION_SOURCE_DIR "/fixtures/rigs/bench-4x6.toml");
    ASSERT_TRUE(bench.has_value()) << bench.error().message;
    ASSERT_EQ(bench->slots.size(), 24U);
    EXPECT_EQ(bench->slots.front().label, "A1");
    EXPECT_EQ(bench->slots.back().label, "D6");
    EXPECT_EQ(bench->slots.back().usb, "1-4.6");
    const auto sim = load_rig(STATION_SOURCE_DIR "/fixtures/rigs/sim-bench.toml");
    ASSERT_TRUE(sim.has_value()) << sim.error().message;
    EXPECT_EQ(sim->slots.size(), 6U);
}

TEST(Rig, RenderedRigReadsBackTheSame) {
    const auto sim = load_rig(STATION_SOURCE_DIR "/fixtures/rigs/sim-bench.toml");
    ASSERT_TRUE(sim.has_value());
    Rig rig = *sim;
    rig.slots.push_back({"Q\"1", SlotKind::port, "", "/dev/pts/\\7", "", {}, 0});
    rig.slots.back().label = "Q1";
    rig.slots.push_back({"U1", SlotKind::usb, "3-2.1", "", "", {}, 0});
    const auto again = parse_rig(fixtures::rig::render_rig(rig), "rendered");
    ASSERT_TRUE(again.has_value()) << again.error().message << "\n"
                                   << fixtures::rig::render_rig(rig);
    ASSERT_EQ(again->slots.size(), rig.slots.size());
    EXPECT_EQ(again->name, "sim-bench");
    for (std::size_t i = 0; i < rig.slots.size(); ++i) {
        EXPECT_EQ(again->slots[i].label, rig.slots[i].label);
        EXPECT_EQ(again->slots[i].kind, rig.slots[i].kind);
        EXPECT_EQ(again->slots[i].usb, rig.slots[i].usb);
        EXPECT_EQ(again->slots[i].port, rig.slots[i].port);
        EXPECT_EQ(again->slots[i].sim, rig.slots[i].sim);
        EXPECT_EQ(again->slots[i].faults, rig.slots[i].faults);
    }
}

TEST(Rig, SaveWritesAtomicallyAndFailsOnABadPath) {
    tests::TempDir dir;
    Rig rig;
    rig.slots.push_back({"A1", SlotKind::usb, "1-1", "", "", {}, 0});
    ASSERT_TRUE(fixtures::rig::save_rig(rig, dir.path() + "/r.toml"));
    EXPECT_TRUE(load_rig(dir.path() + "/r.toml").has_value());
    const auto failed = fixtures::rig::save_rig(rig, dir.path() + "/no/such/dir/r.toml");
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().reason, Reason::bad_usage);
}

TEST(Rig, SimulatedSlotsAreGroupedByFaultsAndBoundToRoutersimPorts) {
    auto rig = load_rig(STATION_SOURCE_DIR "/fixtures/rigs/sim-bench.toml");
    ASSERT_TRUE(rig.has_value());
    const auto groups = fixtures::rig::sim_groups(*rig);
    ASSERT_EQ(groups.size(), 3U);
    EXPECT_TRUE(groups[0].faults.empty());
    EXPECT_EQ(groups[0].personalities,
              (std::vector<std::string>{"xr90-na", "xr90-global", "xr80-na", "xr60-global"}));
    EXPECT_EQ(groups[1].faults, std::vector<std::string>{"no_sim"});
    EXPECT_EQ(groups[2].labels, std::vector<std::string>{"S6"});

    const auto ports = fixtures::rig::parse_sim_ports(
        "/dev/pts/3\txr90-na\tF1\n/dev/pts/4\txr90-global\tF2\n\n/dev/pts/5\txr80-na\tF3\n"
        "/dev/pts/6\txr60-global\tF4\n",
        "ports");
    ASSERT_TRUE(ports.has_value()) << ports.error().message;
    std::vector<std::vector<fixtures::rig::SimPort>> per_group{
        *ports, {{"/dev/pts/7", "xr90-na"}}, {{"/dev/pts/8", "xr80-global"}}};

    auto wrong = per_group;
    wrong[1][0].personality = "xr80-na";
    Rig copy = *rig;
    const auto refused = fixtures::rig::bind_simulated(copy, wrong);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().message,
              "slot 'S5' wants xr90-na but routersim port /dev/pts/7 is xr80-na");
    EXPECT_EQ(copy.slots[0].kind, SlotKind::sim);  // nothing changed

    ASSERT_TRUE(fixtures::rig::bind_simulated(*rig, per_group));
    EXPECT_EQ(rig->slots[0].kind, SlotKind::port);
    EXPECT_EQ(rig->slots[0].port, "/dev/pts/3");
    EXPECT_EQ(rig->slots[4].port, "/dev/pts/7");
    EXPECT_EQ(rig->slots[5].port, "/dev/pts/8");
    EXPECT_TRUE(fixtures::rig::sim_groups(*rig).empty());

    EXPECT_FALSE(fixtures::rig::parse_sim_ports("ttyUSB0\n", "ports").has_value());
    EXPECT_FALSE(
        fixtures::rig::bind_simulated(copy, std::vector<std::vector<fixtures::rig::SimPort>>{})
            .has_value());
}

}  // namespace
