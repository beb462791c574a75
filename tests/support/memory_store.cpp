#include "memory_store.hpp"

#include <algorithm>

namespace tests {
namespace {

using station::core::fail;
using station::core::Outcome;
using station::core::Reason;

tl::unexpected<station::core::Error> not_kept(const char* call) {
    return fail(Reason::store_error, std::string("memory store: ") + call + ": not kept");
}
tl::unexpected<station::core::Error> no_such(const char* what, std::int64_t id) {
    return fail(Reason::store_error,
                std::string("memory store: no such ") + what + " " + std::to_string(id));
}

}  // namespace

// Writes at once (no queue): a fake needs no group commit. The atomic write keeps a copy of
// everything and puts it back when its body fails.
class MemoryStore::Writer final : public st::SlotWriter {
  public:
    Writer(MemoryStore& store, st::RunId run, const st::SlotStart& start) : m_store(store) {
        if (auto id = store.begin_slot(run, start)) {
            m_id = *id;
        } else {
            m_failure = id.error();
        }
    }
    void record_step(st::StepRecord step) override {
        if (!m_failure) keep(m_store.record_step(*m_id, step));
    }
    void record_transcript(std::string text) override {
        if (!m_failure) keep(m_store.record_transcript(*m_id, text));
    }
    std::optional<station::core::Error> failure() const override { return m_failure; }
    Result<void> settle() override {
        if (m_failure) return tl::unexpected(*m_failure);
        return {};
    }
    std::optional<st::SlotResultId> id() const override { return m_id; }
    Result<void> write(std::string_view, const WriteBody& body) override {
        if (m_failure) return tl::unexpected(*m_failure);
        const std::lock_guard lock(m_store.m_lock);
        Data before = m_store.m_data;
        ++m_store.m_writing;
        auto done = body(*m_id, st::Roles(m_store));
        --m_store.m_writing;
        if (!done) m_store.m_data = std::move(before);
        keep(done);
        return done;
    }

  private:
    void keep(const Result<void>& done) {
        if (!done && !m_failure) m_failure = done.error();
    }
    MemoryStore& m_store;
    std::optional<st::SlotResultId> m_id;
    std::optional<station::core::Error> m_failure;
};

MemoryStore::Data MemoryStore::data() const {
    const std::lock_guard lock(m_lock);
    return m_data;
}

void MemoryStore::set_error_streak(const std::string& slot, int streak) {
    const std::lock_guard lock(m_lock);
    m_data.error_streaks[slot] = streak;
}

void MemoryStore::quarantine_now(const std::string& slot, const std::string& why) {
    const std::lock_guard lock(m_lock);
    m_data.quarantined[slot] = {slot, why, {}};
}

void MemoryStore::fail_calls(const std::string& call) {
    const std::lock_guard lock(m_lock);
    m_failing.insert(call);
}

std::vector<std::string> MemoryStore::calls_in_writes() const {
    const std::lock_guard lock(m_lock);
    return m_in_writes;
}

Result<std::unique_lock<std::recursive_mutex>> MemoryStore::enter(const char* call) {
    std::unique_lock lock(m_lock);
    if (m_failing.count(call) != 0) {
        return fail(Reason::store_error, std::string("memory store: ") + call + ": failed");
    }
    if (m_writing > 0) m_in_writes.emplace_back(call);
    return lock;
}

st::SlotRecord* MemoryStore::slot_of(st::SlotResultId slot) {
    for (auto& s : m_data.slots) {
        if (s.id == slot) return &s;
    }
    return nullptr;
}

Result<std::vector<st::ResultRow>> MemoryStore::rows_where(
    const std::function<bool(const st::SlotRecord&)>& keep) const {
    const std::lock_guard lock(m_lock);
    std::vector<st::ResultRow> rows;
    for (const auto& s : m_data.slots) {
        if (!keep(s)) continue;
        const auto run = std::find_if(m_data.runs.begin(), m_data.runs.end(),
                                      [&](const st::RunRecord& r) { return r.id == s.run; });
        rows.push_back({run != m_data.runs.end() ? *run : st::RunRecord{}, s});
    }
    return rows;
}

// --- RunLog -----------------------------------------------------------------------------------

Result<st::RunId> MemoryStore::begin_run(const st::RunInfo& info) {
    auto lock = enter("begin_run");
    if (!lock) return tl::unexpected(lock.error());
    if (info.lot.empty()) return fail(Reason::store_error, "memory store: a run needs a lot");
    const st::RunId id{static_cast<std::int64_t>(m_data.runs.size()) + 1};
    m_data.runs.push_back({id, info, "memory", std::nullopt, std::nullopt, false});
    return id;
}

Result<void> MemoryStore::finish_run(st::RunId run, Outcome outcome, st::TimePoint ended) {
    auto lock = enter("finish_run");
    if (!lock) return tl::unexpected(lock.error());
    for (auto& r : m_data.runs) {
        if (r.id != run) continue;
        if (r.ended) return fail(Reason::store_error, "memory store: run already finished");
        r.ended = ended;
        r.outcome = outcome;
        return {};
    }
    return no_such("run", run.value);
}

Result<st::SlotResultId> MemoryStore::begin_slot(st::RunId run, const st::SlotStart& start) {
    auto lock = enter("begin_slot");
    if (!lock) return tl::unexpected(lock.error());
    if (!this->run(run).value_or(std::nullopt)) return no_such("run", run.value);
    st::SlotRecord slot;
    slot.id = {static_cast<std::int64_t>(m_data.slots.size()) + 1};
    slot.run = run;
    slot.start = start;
    m_data.slots.push_back(slot);
    return slot.id;
}

Result<void> MemoryStore::record_step(st::SlotResultId slot, const st::StepRecord& step) {
    auto lock = enter("record_step");
    if (!lock) return tl::unexpected(lock.error());
    if (!slot_of(slot)) return no_such("slot result", slot.value);
    m_data.steps[slot.value].push_back(step);
    return {};
}

Result<void> MemoryStore::record_transcript(st::SlotResultId slot, std::string_view text) {
    auto lock = enter("record_transcript");
    if (!lock) return tl::unexpected(lock.error());
    if (!slot_of(slot)) return no_such("slot result", slot.value);
    m_data.transcripts[slot.value] += text;
    return {};
}

Result<void> MemoryStore::finish_slot(st::SlotResultId slot, const st::SlotFinish& f) {
    auto lock = enter("finish_slot");
    if (!lock) return tl::unexpected(lock.error());
    auto* s = slot_of(slot);
    if (!s) return no_such("slot result", slot.value);
    if (s->outcome) return fail(Reason::store_error, "memory store: slot already finished");
    s->identity = f.identity;
    s->region = f.region;
    s->data_center = f.data_center;
    s->outcome = f.outcome;
    s->reason = f.reason;
    s->message = f.message;
    s->ended = f.ended;
    s->profile = f.profile;
    s->sku_basis = f.sku_basis;
    s->signals = f.signals;
    return {};
}

std::unique_ptr<st::SlotWriter> MemoryStore::open_slot(st::RunId run, st::SlotStart start) {
    return std::make_unique<Writer>(*this, run, start);
}

Result<void> MemoryStore::record_manifest_missing(st::RunId run,
                                                  const std::vector<st::ManifestMissing>& lines) {
    auto lock = enter("record_manifest_missing");
    if (!lock) return tl::unexpected(lock.error());
    m_data.missing[run.value] = lines;
    return {};
}

Result<void> MemoryStore::record_event(std::optional<st::RunId>, std::string_view kind,
                                       std::string_view text, st::TimePoint) {
    auto lock = enter("record_event");
    if (!lock) return tl::unexpected(lock.error());
    m_data.events.push_back(std::string(kind) + ": " + std::string(text));
    return {};
}

Result<st::RunRecord> MemoryStore::resume_run(st::RunId) {
    return not_kept("resume_run");
}

Result<std::vector<st::RunId>> MemoryStore::interrupt_own_runs() {
    return not_kept("interrupt_own_runs");
}

Result<std::optional<st::RunRecord>> MemoryStore::run(st::RunId run) {
    const std::lock_guard lock(m_lock);
    for (const auto& r : m_data.runs) {
        if (r.id == run) return r;
    }
    return std::optional<st::RunRecord>();
}

Result<std::vector<st::RunListing>> MemoryStore::list_runs(const st::RunFilter&) {
    return not_kept("list_runs");
}

Result<std::vector<st::ResultRow>> MemoryStore::results_for_run(st::RunId run) {
    return rows_where([run](const st::SlotRecord& s) { return s.run == run; });
}

Result<std::vector<st::ResultRow>> MemoryStore::results_for_lot(std::string_view lot) {
    std::set<std::int64_t> runs;
    for (const auto& r : data().runs) {
        if (r.info.lot == lot) runs.insert(r.id.value);
    }
    return rows_where([&](const st::SlotRecord& s) { return runs.count(s.run.value) != 0; });
}

Result<std::vector<st::StepRecord>> MemoryStore::steps(st::SlotResultId slot) {
    const std::lock_guard lock(m_lock);
    const auto found = m_data.steps.find(slot.value);
    if (found == m_data.steps.end()) return std::vector<st::StepRecord>();
    return found->second;
}

Result<std::string> MemoryStore::transcript(st::SlotResultId slot) {
    const std::lock_guard lock(m_lock);
    const auto found = m_data.transcripts.find(slot.value);
    return found == m_data.transcripts.end() ? std::string() : found->second;
}

Result<std::vector<st::ResultRow>> MemoryStore::attempts_in_slot(st::RunId run,
                                                                 std::string_view slot,
                                                                 std::size_t limit) {
    auto rows =
        rows_where([&](const st::SlotRecord& s) { return s.run == run && s.start.slot == slot; });
    std::reverse(rows->begin(), rows->end());
    if (rows->size() > limit) rows->resize(limit);
    return rows;
}

Result<std::vector<st::ManifestMissing>> MemoryStore::manifest_missing(st::RunId run) {
    const std::lock_guard lock(m_lock);
    const auto found = m_data.missing.find(run.value);
    if (found == m_data.missing.end()) return std::vector<st::ManifestMissing>();
    return found->second;
}

// --- UnitRegistry -----------------------------------------------------------------------------

Result<st::DeviceChange> MemoryStore::upsert_device(const st::DeviceSighting& sighting) {
    auto lock = enter("upsert_device");
    if (!lock) return tl::unexpected(lock.error());
    st::DeviceChange change;
    const auto last = m_data.devices.find(sighting.fsn);
    change.new_unit = last == m_data.devices.end();
    if (!change.new_unit && last->second.iccid != sighting.iccid) {
        change.previous_iccid = last->second.iccid;
    }
    if (!change.new_unit && last->second.imei != sighting.imei) {
        change.previous_imei = last->second.imei;
    }
    m_data.devices[sighting.fsn] = sighting;
    return change;
}

// A PASS becomes FAIL naming the claimant; its rows not yet sent are withdrawn.
void MemoryStore::hold(st::IdentityHolder& h, const st::DeviceSighting& claimant) {
    h.message = "shares " + h.value + " with " + claimant.fsn + ": held to inspect";
    if (auto* s = h.slot_result ? slot_of(*h.slot_result) : nullptr) {
        h.run = s->run;
        h.slot = s->start.slot;
        h.outcome = s->outcome;
        if (s->outcome == Outcome::pass) {
            s->outcome = Outcome::fail;
            s->reason = h.reason;
            s->message = h.message;
            h.changed = true;
        }
    }
    for (auto& row : m_data.outbox) {
        if (row.registration.fsn != h.fsn) continue;
        if (row.state == st::OutboxState::pending) {
            row.state = st::OutboxState::withdrawn;
            h.registration = st::HeldRegistration::withdrawn;
        } else if (row.state != st::OutboxState::withdrawn) {
            h.registration = st::HeldRegistration::sent;
        }
        row.hold = h.message;
    }
}

Result<st::IdentityClaim> MemoryStore::claim_identity(const st::DeviceSighting& sighting) {
    auto lock = enter("claim_identity");
    if (!lock) return tl::unexpected(lock.error());
    st::IdentityClaim claim;
    for (const auto& [fsn, seen] : m_data.devices) {
        if (fsn == sighting.fsn) continue;
        st::IdentityHolder h;
        h.fsn = fsn;
        h.slot_result = seen.slot_result;
        if (!sighting.iccid.empty() && seen.iccid == sighting.iccid) {
            h.value = sighting.iccid;
        } else if (!sighting.imei.empty() && seen.imei == sighting.imei) {
            h.reason = Reason::duplicate_imei;
            h.value = sighting.imei;
        } else {
            continue;
        }
        claim.holders.push_back(h);
    }
    for (auto& h : claim.holders) hold(h, sighting);
    auto change = upsert_device(sighting);
    if (!change) return tl::unexpected(change.error());
    claim.change = *change;
    return claim;
}

Result<std::vector<st::ResultRow>> MemoryStore::history(st::UnitKey, std::string_view,
                                                        std::size_t) {
    return not_kept("history");
}
Result<std::vector<std::string>> MemoryStore::other_units_with(st::UnitKey, std::string_view,
                                                               std::string_view) {
    return not_kept("other_units_with");
}
Result<std::vector<st::DuplicateIdentifier>> MemoryStore::duplicate_iccids() {
    return not_kept("duplicate_iccids");
}
Result<std::vector<st::DuplicateIdentifier>> MemoryStore::duplicate_imeis() {
    return not_kept("duplicate_imeis");
}
Result<std::vector<st::SimSwap>> MemoryStore::sim_swaps() {
    return not_kept("sim_swaps");
}

// --- Outbox -----------------------------------------------------------------------------------

Result<st::Enqueued> MemoryStore::enqueue_registration(const st::Registration& registration) {
    auto lock = enter("enqueue_registration");
    if (!lock) return tl::unexpected(lock.error());
    // As the store: one live create per unit; one live update per unit and ICCID.
    for (const auto& row : m_data.outbox) {
        const auto& r = row.registration;
        if (r.fsn != registration.fsn || row.state == st::OutboxState::withdrawn ||
            r.action != registration.action ||
            (r.action == st::OutboxAction::update && r.iccid != registration.iccid)) {
            continue;
        }
        return row.registration.data_center == registration.data_center
                   ? st::Enqueued::already_queued
                   : st::Enqueued::queued_for_other_data_center;
    }
    st::OutboxRow row;
    row.id = {static_cast<std::int64_t>(m_data.outbox.size()) + 1};
    row.registration = registration;
    row.next_attempt = registration.queued;
    row.updated = registration.queued;
    m_data.outbox.push_back(row);
    return st::Enqueued::queued;
}

Result<std::vector<st::OutboxRow>> MemoryStore::claim_pending(station::core::DataCenter, int,
                                                              const st::Lease&) {
    return not_kept("claim_pending");
}
Result<void> MemoryStore::mark_registered(st::OutboxId, std::string_view, std::string_view,
                                          st::TimePoint) {
    return not_kept("mark_registered");
}
Result<void> MemoryStore::mark_conflict(st::OutboxId, std::string_view, std::string_view,
                                        st::TimePoint) {
    return not_kept("mark_conflict");
}
Result<void> MemoryStore::mark_failed(st::OutboxId, std::string_view, std::string_view, st::Retry,
                                      st::TimePoint, st::TimePoint) {
    return not_kept("mark_failed");
}
Result<void> MemoryStore::mark_in_doubt(st::OutboxId, std::string_view, std::string_view,
                                        st::TimePoint, st::TimePoint) {
    return not_kept("mark_in_doubt");
}
Result<void> MemoryStore::release(st::OutboxId, std::string_view, st::TimePoint) {
    return not_kept("release");
}
Result<int> MemoryStore::recover_dead_claims(station::core::DataCenter, st::TimePoint,
                                             std::chrono::milliseconds) {
    return not_kept("recover_dead_claims");
}
Result<st::HeldRegistration> MemoryStore::withdraw(std::string_view, std::string_view,
                                                   std::string_view, std::string_view,
                                                   st::TimePoint) {
    return not_kept("withdraw");
}
Result<st::OutboxStatus> MemoryStore::outbox_status(std::size_t) {
    return not_kept("outbox_status");
}

Result<std::vector<st::OutboxRow>> MemoryStore::list_outbox(
    std::optional<st::OutboxState> state, std::optional<station::core::DataCenter> data_center) {
    const std::lock_guard lock(m_lock);
    std::vector<st::OutboxRow> rows;
    for (const auto& row : m_data.outbox) {
        if (state && row.state != *state) continue;
        if (data_center && row.registration.data_center != *data_center) continue;
        rows.push_back(row);
    }
    return rows;
}

// --- Quarantine -------------------------------------------------------------------------------

Result<int> MemoryStore::slot_error_streak(std::string_view slot) {
    auto lock = enter("slot_error_streak");
    if (!lock) return tl::unexpected(lock.error());
    const auto found = m_data.error_streaks.find(std::string(slot));
    return found == m_data.error_streaks.end() ? 0 : found->second;
}

Result<void> MemoryStore::quarantine_slot(std::string_view slot, std::string_view why,
                                          st::TimePoint at) {
    auto lock = enter("quarantine_slot");
    if (!lock) return tl::unexpected(lock.error());
    m_data.quarantined[std::string(slot)] = {std::string(slot), std::string(why), at};
    return {};
}

Result<void> MemoryStore::release_slot(std::string_view slot, st::TimePoint) {
    auto lock = enter("release_slot");
    if (!lock) return tl::unexpected(lock.error());
    if (m_data.quarantined.erase(std::string(slot)) == 0) {
        return fail(Reason::store_error, "memory store: slot not quarantined");
    }
    return {};
}

Result<std::optional<std::string>> MemoryStore::slot_quarantine(std::string_view slot) {
    const std::lock_guard lock(m_lock);
    const auto found = m_data.quarantined.find(std::string(slot));
    if (found == m_data.quarantined.end()) return std::optional<std::string>();
    return std::optional<std::string>(found->second.why);
}

Result<std::vector<st::QuarantinedSlot>> MemoryStore::quarantined_slots() {
    auto lock = enter("quarantined_slots");
    if (!lock) return tl::unexpected(lock.error());
    std::vector<st::QuarantinedSlot> slots;
    for (const auto& [name, q] : m_data.quarantined) slots.push_back(q);
    return slots;
}

// --- RmaLog -----------------------------------------------------------------------------------

Result<st::RmaRecord> MemoryStore::open_rma(const st::RmaRecord& rma) {
    auto lock = enter("open_rma");
    if (!lock) return tl::unexpected(lock.error());
    auto [it, created] = m_data.rmas.try_emplace(rma.id, rma);
    if (!created) {
        if (!rma.customer.empty()) it->second.customer = rma.customer;
        if (!rma.note.empty()) it->second.note = rma.note;
    }
    return it->second;
}

Result<std::optional<st::RmaRecord>> MemoryStore::rma(std::string_view id) {
    const std::lock_guard lock(m_lock);
    const auto found = m_data.rmas.find(std::string(id));
    if (found == m_data.rmas.end()) return std::optional<st::RmaRecord>();
    return std::optional<st::RmaRecord>(found->second);
}

Result<void> MemoryStore::link_run(st::RunId run, std::string_view rma) {
    auto lock = enter("link_run");
    if (!lock) return tl::unexpected(lock.error());
    if (m_data.rmas.count(std::string(rma)) == 0) {
        return fail(Reason::store_error, "memory store: no such RMA " + std::string(rma));
    }
    const bool known = std::any_of(m_data.runs.begin(), m_data.runs.end(),
                                   [run](const st::RunRecord& r) { return r.id == run; });
    if (!known) return no_such("run", run.value);
    m_data.rma_of_run[run.value] = std::string(rma);
    return {};
}

Result<station::core::UnitHistory> MemoryStore::provisioning_history(std::string_view fsn,
                                                                     std::string_view imei) {
    auto lock = enter("provisioning_history");
    if (!lock) return tl::unexpected(lock.error());
    const auto last_pass = [&](auto matches) -> const st::SlotRecord* {
        const st::SlotRecord* found = nullptr;
        for (const auto& s : m_data.slots) {
            const auto run = std::find_if(m_data.runs.begin(), m_data.runs.end(),
                                          [&](const st::RunRecord& r) { return r.id == s.run; });
            if (run == m_data.runs.end() || run->info.mode != st::RunMode::provision) continue;
            if (s.outcome == Outcome::pass && matches(s)) found = &s;
        }
        return found;
    };
    const auto unit = [this](const st::SlotRecord& s) {
        const bool registered =
            std::any_of(m_data.outbox.begin(), m_data.outbox.end(), [&](const st::OutboxRow& row) {
                return row.registration.fsn == s.identity.fsn &&
                       row.registration.action == st::OutboxAction::create &&
                       row.state == st::OutboxState::registered;
            });
        return station::core::ProvisionedUnit{
            s.identity.fsn,      s.identity.imei, s.identity.iccid,
            s.identity.firmware, s.profile,       s.region,
            s.data_center,       registered,      "run " + std::to_string(s.run.value)};
    };
    const st::SlotRecord* by_fsn =
        fsn.empty() ? nullptr
                    : last_pass([&](const st::SlotRecord& s) { return s.identity.fsn == fsn; });
    const st::SlotRecord* by_imei =
        imei.empty() ? nullptr
                     : last_pass([&](const st::SlotRecord& s) { return s.identity.imei == imei; });
    station::core::UnitHistory history;
    if (by_fsn) history.by_fsn = unit(*by_fsn);
    if (by_imei && by_imei != by_fsn) history.by_imei = unit(*by_imei);
    return history;
}

Result<void> MemoryStore::record_findings(st::SlotResultId slot,
                                          const std::vector<station::core::Finding>& findings) {
    auto lock = enter("record_findings");
    if (!lock) return tl::unexpected(lock.error());
    if (slot_of(slot) == nullptr) return no_such("slot result", slot.value);
    m_data.findings[slot.value] = findings;
    return {};
}

Result<std::vector<station::core::Finding>> MemoryStore::findings(st::SlotResultId slot) {
    const std::lock_guard lock(m_lock);
    const auto found = m_data.findings.find(slot.value);
    if (found == m_data.findings.end()) return std::vector<station::core::Finding>();
    return found->second;
}

Result<std::vector<st::RetestRow>> MemoryStore::retests_of_rma(std::string_view) {
    return not_kept("retests_of_rma");
}
Result<std::vector<st::RetestRow>> MemoryStore::retests_since(st::TimePoint) {
    return not_kept("retests_since");
}

}  // namespace tests
