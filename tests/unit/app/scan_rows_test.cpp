// Scan rows: a rig against an enumeration (every slot state), the AT-port rule without I/O,
// the identity seam, and the text/JSON views with hostile device strings.
#include <station/workflows/scan_rows.hpp>
#include <station/app/scan_view.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using drivers::usb::UsbDevice;
using fixtures::rig::SlotKind;
using station::workflows::ScanRow;
using station::workflows::SlotState;

UsbDevice router(std::string chain, std::vector<drivers::usb::UsbTty> ttys) {
    UsbDevice d;
    d.port_chain = std::move(chain);
    d.vendor_id = 0x1199;
    d.product_id = 0x9071;
    d.serial = "LF1";
    d.ttys = std::move(ttys);
    return d;
}

fixtures::rig::Rig rig() {
    fixtures::rig::Rig r;
    r.name = "t";
    r.slots = {{"A1", SlotKind::usb, "1-1.1", "", "", {}, 1},
               {"A2", SlotKind::usb, "1-1.2", "", "", {}, 2},
               {"X1", SlotKind::port, "", "/dev/null", "", {}, 3},
               {"X2", SlotKind::port, "", "/nonexistent/tty", "", {}, 4},
               {"S1", SlotKind::sim, "", "", "xr90-na", {}, 5}};
    return r;
}

TEST(ScanRows, EverySlotGetsItsState) {
    const auto r = rig();
    const auto rows = station::workflows::build_rows(
        &r, {router("1-1.1", {{3, "/dev/ttyUSB2"}}), router("1-1.9", {{3, "/dev/ttyUSB5"}})});
    ASSERT_EQ(rows.size(), 6U);
    EXPECT_EQ(rows[0].slot, "A1");
    EXPECT_EQ(rows[0].state, SlotState::pending);
    ASSERT_TRUE(rows[0].device.has_value());
    EXPECT_EQ(rows[1].state, SlotState::empty);
    EXPECT_EQ(rows[1].port_chain, "1-1.2");
    EXPECT_EQ(rows[2].state, SlotState::ready);
    EXPECT_EQ(rows[2].at_port, "/dev/null");
    EXPECT_EQ(rows[3].state, SlotState::missing);
    EXPECT_EQ(rows[4].state, SlotState::simulated);
    EXPECT_EQ(rows[5].slot, "");
    EXPECT_EQ(rows[5].port_chain, "1-1.9");
    EXPECT_EQ(rows[5].state, SlotState::unknown);

    const auto no_rig = station::workflows::build_rows(nullptr, {router("1-1.1", {})});
    ASSERT_EQ(no_rig.size(), 1U);
    EXPECT_EQ(no_rig[0].state, SlotState::pending);
}

TEST(ScanRows, PinnedInterfaceNeedsNoProbe) {
    auto rows = station::workflows::build_rows(
        nullptr, {router("1-1.1", {{0, "/dev/ttyUSB0"}, {3, "/dev/ttyUSB2"}}), router("1-1.2", {}),
                  router("1-1.3", {{2, "/dev/ttyUSB7"}})});
    station::workflows::ResolveOptions options;
    options.at_rule.pinned_interface = 3;
    station::workflows::resolve_rows(rows, options);
    EXPECT_EQ(rows[0].state, SlotState::ready);
    EXPECT_EQ(rows[0].at_port, "/dev/ttyUSB2");
    EXPECT_EQ(rows[0].at_interface, 3);
    EXPECT_EQ(rows[1].state, SlotState::no_at_port);
    ASSERT_TRUE(rows[1].problem.has_value());
    EXPECT_EQ(rows[1].problem->message,
              "1-1.2 (1199:9071): no tty interfaces (driver not bound, or still booting)");
    EXPECT_EQ(rows[2].state, SlotState::no_at_port);
    EXPECT_EQ(rows[2].problem->reason, station::core::Reason::port_unavailable);

    std::vector<ScanRow> none;
    station::workflows::resolve_rows(none, options);  // nothing to do, no threads
}

TEST(ScanView, DeviceStringsAreSanitisedInTextAndEscapedInJson) {
    auto rows = station::workflows::build_rows(nullptr, {router("1-1.1", {{3, "/dev/ttyUSB2"}})});
    rows[0].device->serial = "\x1b[2J\xff";
    rows[0].state = SlotState::ready;
    rows[0].at_port = "/dev/ttyUSB2";
    drivers::router::IdentifyReport report;
    report.identity.model = "XR90\x1b[31m";
    report.identity.imei = "354125080012765";
    report.verdict = {station::core::Outcome::pass, std::nullopt, "ok"};
    station::workflows::record_identity(rows[0], report);

    const station::app::ScanView view{"", rows, true, {"w"}};
    const auto text = station::app::render_scan_text(view);
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    EXPECT_NE(text.find("XR90\\x1b[31m"), std::string::npos) << text;
    EXPECT_NE(text.find("354125080012765"), std::string::npos);

    const auto doc = nlohmann::json::parse(station::app::render_scan_json(view));
    EXPECT_EQ(doc["slots"][0]["identity"]["model"], "XR90\x1b[31m");
    EXPECT_EQ(doc["slots"][0]["usb"]["serial"], "\x1b[2J\xef\xbf\xbd");  // U+FFFD for the bad byte
    EXPECT_EQ(doc["slots"][0]["verdict"]["outcome"], "PASS");
    EXPECT_EQ(doc["warnings"][0], "w");
    EXPECT_TRUE(doc["rig"].is_null());
}

TEST(ScanIdentity, SkuDecisionBecomesTheVerdictOnlyForCleanIdentities) {
    station::core::SkuProfile na;
    na.name = "xr90-na";
    na.family = "xr90";
    na.region = station::core::Region::na;
    na.signals.module_models = {"EM7565*"};
    na.part_numbers = {"1104513"};
    station::workflows::SkuRules rules;
    rules.skus = {na};
    rules.expect = "xr90-na";
    rules.manifest = station::core::Manifest(
        "pallet.csv", {{2, "XR9N2301280017", "354125080012765", "1104513", "", "", ""}});

    std::vector<ScanRow> rows(3);
    drivers::router::IdentifyReport known;
    known.identity.model = "EM7565";
    known.identity.fsn = "XR9N2301280017";
    known.identity.imei = "354125080012765";
    known.verdict = {station::core::Outcome::pass, std::nullopt, "ok"};
    station::workflows::record_identity(rows[0], known, &rules);
    ASSERT_TRUE(rows[0].sku);
    EXPECT_EQ(rows[0].identify->verdict.outcome, station::core::Outcome::pass)
        << rows[0].identify->verdict.message;
    EXPECT_EQ(rows[0].sku->data_center, station::core::DataCenter::na);

    drivers::router::IdentifyReport unknown = known;
    unknown.identity.fsn = "XR9X2401010001";
    unknown.identity.imei = "490154203237518";
    station::workflows::record_identity(rows[1], unknown, &rules);
    EXPECT_EQ(rows[1].identify->verdict.outcome, station::core::Outcome::fail);
    EXPECT_EQ(rows[1].identify->verdict.reason, station::core::Reason::not_on_manifest);

    drivers::router::IdentifyReport no_sim = known;
    no_sim.verdict = {station::core::Outcome::fail, station::core::Reason::sim_not_inserted, "x"};
    station::workflows::record_identity(rows[2], no_sim, &rules);
    EXPECT_FALSE(rows[2].sku) << "a unit that did not identify is not decided";
    EXPECT_EQ(rows[2].identify->verdict.reason, station::core::Reason::sim_not_inserted);

    const station::app::ScanView view{"", rows, true, {}, true};
    const auto text = station::app::render_scan_text(view);
    EXPECT_NE(text.find("SKU -> DC"), std::string::npos) << text;
    EXPECT_NE(text.find("xr90-na -> na (manifest)"), std::string::npos) << text;
    const auto doc = nlohmann::json::parse(station::app::render_scan_json(view));
    EXPECT_EQ(doc["slots"][0]["sku"]["data_center"], "na");
    EXPECT_EQ(doc["slots"][0]["sku"]["region"], "na");
    EXPECT_EQ(doc["slots"][0]["sku"]["sku_basis"], "manifest");
    EXPECT_EQ(doc["slots"][0]["sku"]["signals"][0]["source"], "manifest");
    EXPECT_FALSE(doc["slots"][2].contains("sku"));
}

}  // namespace
