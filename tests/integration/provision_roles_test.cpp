// The pallet workflow works with the store's roles alone (station/store/roles.hpp): routersim
// units provisioned into the in-memory fake of the roles (tests/support/memory_store.hpp), no
// SQLite file. A unit's store steps and result are one atomic write through its slot writer,
// whose body writes through the roles it is handed: a failing registration undoes the claim.
#include <station/workflows/provision.hpp>
#include <station/workflows/retest.hpp>

#include <map>
#include <mutex>

#include <gtest/gtest.h>

#include "memory_store.hpp"
#include "process.hpp"
#include "sim_bench.hpp"
#include "unit_numbers.hpp"

namespace {

using station::core::DataCenter;
using station::core::Outcome;
using station::core::Reason;
using namespace station;

class Sink : public workflows::EventSink {
  public:
    void on_event(const workflows::Event& e) override {
        std::lock_guard lock(m_mutex);
        ++m_count[e.kind];
    }
    int count(workflows::EventKind kind) const {
        std::lock_guard lock(m_mutex);
        const auto found = m_count.find(kind);
        return found == m_count.end() ? 0 : found->second;
    }

  private:
    mutable std::mutex m_mutex;
    std::map<workflows::EventKind, int> m_count;
};

std::vector<std::string> step_names(const std::vector<store::StepRecord>& steps) {
    std::vector<std::string> names;
    for (const auto& s : steps) names.push_back(s.name);
    return names;
}

std::map<std::string, int> counted(const std::vector<std::string>& calls) {
    std::map<std::string, int> out;
    for (const auto& c : calls) ++out[c];
    return out;
}

class ProvisionRoles : public testing::Test {
  protected:
    ProvisionRoles() : m_profiles(profiles::load_profile_dir(STATION_SOURCE_DIR "/profiles")) {
        m_options.profiles = &m_profiles;
        m_options.pallet = m_profiles.find("xr90-na");
        m_options.pallet_id = "P-ROLES";
        m_options.operator_name = "tester";
        m_options.command_timeout = std::chrono::milliseconds(300);
        m_options.wait_for_unit = std::chrono::milliseconds(200);
        m_options.poll_interval = std::chrono::milliseconds(20);
    }

    static std::vector<workflows::SlotTarget> slots_of(const tests::SimBench& bench) {
        std::vector<workflows::SlotTarget> slots;
        for (const auto& port : bench.ports()) {
            slots.push_back({"S" + std::to_string(slots.size() + 1), "", port.path});
        }
        return slots;
    }

    profiles::ProfileSet m_profiles;
    workflows::ProvisionOptions m_options;
    Sink m_sink;
    tests::MemoryStore m_store;  // every role, in memory
};

TEST_F(ProvisionRoles, UnitsPassWithEveryWriteInTheRoles) {
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "2", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 2U);
    const auto summary = workflows::provision(m_store, slots_of(bench), m_options, m_sink);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->outcome, Outcome::pass);
    ASSERT_EQ(summary->units.size(), 2U);

    const auto kept = m_store.data();
    ASSERT_EQ(kept.runs.size(), 1U);
    EXPECT_EQ(kept.runs[0].outcome, Outcome::pass);
    EXPECT_EQ(kept.runs[0].info.lot, "P-ROLES");
    ASSERT_EQ(kept.slots.size(), 2U);
    for (const auto& slot : kept.slots) {
        EXPECT_EQ(slot.outcome, Outcome::pass) << slot.start.slot << ": " << slot.message;
        EXPECT_EQ(
            step_names(kept.steps.at(slot.id.value)),
            (std::vector<std::string>{"wait_for_unit", "open_port", "identify", "validate",
                                      "decide_sku", "check_duplicates", "queue_registration"}));
        EXPECT_FALSE(kept.transcripts.at(slot.id.value).empty()) << slot.start.slot;
    }
    EXPECT_EQ(kept.devices.size(), 2U);
    ASSERT_EQ(kept.outbox.size(), 2U);
    for (const auto& row : kept.outbox) {
        EXPECT_EQ(row.registration.data_center, DataCenter::na);
        EXPECT_EQ(row.state, store::OutboxState::pending);
    }
    // Each unit's store steps and result ran inside its slot writer's atomic write.
    const auto in_writes = counted(m_store.calls_in_writes());
    EXPECT_EQ(in_writes.at("claim_identity"), 2);
    EXPECT_EQ(in_writes.at("enqueue_registration"), 2);
    EXPECT_EQ(in_writes.at("finish_slot"), 2);
    EXPECT_EQ(in_writes.at("record_step"), 4);  // check_duplicates, queue_registration
    EXPECT_EQ(in_writes.count("begin_slot"), 0U);
    EXPECT_EQ(m_sink.count(workflows::EventKind::unit_finished), 2);
}

// The registration fails inside the unit's write: the claim made before it in that write is
// undone with it (no sighting, no row), the unit ends in ERROR store_error, is retried once,
// and the slot's error streak (as the Quarantine role reports it) takes the slot out of service.
TEST_F(ProvisionRoles, AFailingRegistrationUndoesTheUnitsWholeWrite) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 1U);
    m_store.fail_calls("enqueue_registration");
    m_store.set_error_streak("S1", 3);
    const auto summary = workflows::provision(m_store, slots_of(bench), m_options, m_sink);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->outcome, Outcome::error);
    ASSERT_EQ(summary->units.size(), 1U);
    EXPECT_EQ(summary->units[0].reason, Reason::store_error) << summary->units[0].message;
    EXPECT_EQ(summary->units[0].attempts, 2);
    EXPECT_EQ(summary->quarantined_slots, std::vector<std::string>{"S1"});

    const auto kept = m_store.data();
    EXPECT_TRUE(kept.devices.empty()) << "the claim was undone with the write";
    EXPECT_TRUE(kept.outbox.empty());
    ASSERT_EQ(kept.slots.size(), 2U);  // the attempt and its retry
    for (const auto& slot : kept.slots) {
        EXPECT_EQ(slot.outcome, Outcome::error) << slot.start.slot;
        EXPECT_EQ(slot.reason, Reason::store_error);
        EXPECT_EQ(step_names(kept.steps.at(slot.id.value)).back(), "decide_sku");
    }
    ASSERT_EQ(kept.quarantined.count("S1"), 1U);
    ASSERT_EQ(kept.events.size(), 1U);
    EXPECT_EQ(kept.events[0].rfind("slot_quarantined: S1: 3 units in a row", 0), 0U)
        << kept.events[0];
}

// A slot the Quarantine role lists tests nothing: its unit is recorded untested in the run log.
TEST_F(ProvisionRoles, ASlotTheQuarantineRoleListsTestsNothing) {
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "2", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 2U);
    m_store.quarantine_now("S1", "bad pogo pins");
    const auto summary = workflows::provision(m_store, slots_of(bench), m_options, m_sink);
    ASSERT_TRUE(summary) << summary.error().message;
    const auto kept = m_store.data();
    ASSERT_EQ(kept.slots.size(), 2U);
    std::map<std::string, store::SlotRecord> by_slot;
    for (const auto& slot : kept.slots) by_slot[slot.start.slot] = slot;
    EXPECT_EQ(by_slot.at("S1").reason, Reason::slot_quarantined);
    EXPECT_EQ(step_names(kept.steps.at(by_slot.at("S1").id.value)),
              std::vector<std::string>{"check_slot"});
    EXPECT_EQ(by_slot.at("S2").outcome, Outcome::pass) << by_slot.at("S2").message;
    EXPECT_EQ(kept.outbox.size(), 1U);
}

// The retest over the same roles: the provisioning record read from the RmaLog role, the run
// linked to its RMA, and the unit's findings and --reregister's update row written through the
// roles its atomic write hands over.
class RetestRoles : public ProvisionRoles {
  protected:
    // Provisions the shipped unit, then returns a retest's options for RMA `rma`.
    workflows::RetestOptions shipped_then_returned(const std::string& rma) {
        {
            tests::SimBench shipped({"xr90-na"}, {}, {"--latency-ms", "0"});
            const auto done = workflows::provision(m_store, slots_of(shipped), m_options, m_sink);
            EXPECT_TRUE(done && done->outcome == Outcome::pass);
        }
        workflows::RetestOptions o;
        o.run = m_options;
        o.rma = rma;
        o.reregister = true;
        return o;
    }
};

TEST_F(RetestRoles, ASwappedSimIsRecordedAndQueuedInTheUnitsWrite) {
    auto options = shipped_then_returned("RMA-ROLES");
    const std::string sim = tests::iccid_for(9);
    tests::SimBench returned({}, {}, {"--iccid", sim, "--latency-ms", "0", "xr90-na"});
    const auto summary = workflows::retest(m_store, slots_of(returned), options, m_sink);
    ASSERT_TRUE(summary) << summary.error().message;
    ASSERT_EQ(summary->units.size(), 1U);
    EXPECT_EQ(summary->units[0].outcome, Outcome::fail);
    EXPECT_EQ(summary->units[0].reason, Reason::sim_swapped);

    const auto kept = m_store.data();
    ASSERT_EQ(kept.runs.size(), 2U);
    EXPECT_EQ(kept.runs[1].info.mode, store::RunMode::retest);
    EXPECT_EQ(kept.rma_of_run.at(kept.runs[1].id.value), "RMA-ROLES");
    const auto& slot = kept.slots.back();
    // Its create row was never pushed: not_registered too.
    ASSERT_EQ(kept.findings.at(slot.id.value).size(), 2U);
    EXPECT_EQ(kept.findings.at(slot.id.value)[0].kind, core::FindingKind::sim_swapped);
    EXPECT_EQ(kept.findings.at(slot.id.value)[1].kind, core::FindingKind::not_registered);
    ASSERT_EQ(kept.outbox.size(), 2U);
    EXPECT_EQ(kept.outbox[1].registration.action, store::OutboxAction::update);
    EXPECT_EQ(kept.outbox[1].registration.iccid, sim);
    const auto in_writes = counted(m_store.calls_in_writes());
    EXPECT_EQ(in_writes.at("record_findings"), 1);
    EXPECT_EQ(in_writes.at("enqueue_registration"), 2);  // the provisioned create, the update
}

// Findings that cannot be written undo the unit's whole write: no update row, ERROR
// store_error, and no PASS.
TEST_F(RetestRoles, FindingsThatCannotBeWrittenUndoTheWrite) {
    auto options = shipped_then_returned("RMA-FAIL");
    m_store.fail_calls("record_findings");
    tests::SimBench returned({}, {},
                             {"--iccid", tests::iccid_for(9), "--latency-ms", "0", "xr90-na"});
    const auto summary = workflows::retest(m_store, slots_of(returned), options, m_sink);
    ASSERT_TRUE(summary) << summary.error().message;
    ASSERT_FALSE(summary->units.empty());
    EXPECT_EQ(summary->units.back().outcome, Outcome::error);
    EXPECT_EQ(summary->units.back().reason, Reason::store_error);
    const auto kept = m_store.data();
    ASSERT_EQ(kept.outbox.size(), 1U) << "only the provisioned create";
    EXPECT_TRUE(kept.findings.empty());
}

}  // namespace
