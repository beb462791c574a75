// The writing half of the store: runs, slot results, steps, transcripts, devices and events
// (outbox rows: outbox.cpp). Each call is one transaction under the store's lock.
#include <string>

#include <station/store/store_impl.hpp>

namespace station::store {
namespace {

using core::fail;
using core::Reason;

// Carrier image names joined one per line; '\' and newlines inside a name are escaped.
std::string join_lines(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) out += '\n';
        for (const char c : items[i]) {
            if (c == '\\') {
                out += "\\\\";
            } else if (c == '\n') {
                out += "\\n";
            } else {
                out += c;
            }
        }
    }
    return out;
}

std::optional<std::string_view> reason_text(const std::optional<core::Reason>& reason) {
    if (!reason) return std::nullopt;
    return core::to_string(*reason);
}

Result<std::int64_t> station_id(Store::Impl& impl, TimePoint now) {
    if (impl.station_id) return *impl.station_id;
    auto insert = impl.prepare(
        "INSERT INTO stations(hostname, first_seen_ms) VALUES (?, ?)"
        " ON CONFLICT(hostname) DO NOTHING",
        "register station");
    if (!insert) return tl::unexpected(insert.error());
    auto done = impl.run(insert->bind(impl.owner.hostname, now), "register station");
    if (!done) return tl::unexpected(done.error());
    auto select = impl.prepare("SELECT id FROM stations WHERE hostname = ?", "find station");
    if (!select) return tl::unexpected(select.error());
    const int rc = select->bind(impl.owner.hostname).step();
    if (rc != SQLITE_ROW) return tl::unexpected(impl.error("find station", rc));
    impl.station_id = select->integer(0);
    return *impl.station_id;
}

// Runs one write statement and fails when it touched no row.
template <class... Args>
Result<void> update_one(Store::Impl& impl, std::string_view sql, const std::string& what,
                        const std::string& none, const Args&... args) {
    auto stmt = impl.prepare(sql, what);
    if (!stmt) return tl::unexpected(stmt.error());
    auto done = impl.run(stmt->bind(args...), what);
    if (!done) return done;
    if (sqlite3_changes(impl.db) == 0) {
        return fail(Reason::store_error, impl.path.string() + ": " + what + ": " + none);
    }
    return {};
}

}  // namespace

Result<RunId> Store::begin_run(const RunInfo& info) {
    if (info.lot.empty()) {
        return fail(Reason::store_error,
                    m_impl->path.string() + ": begin run: empty pallet / RMA / rig id");
    }
    Impl& impl = *m_impl;
    return impl.write("begin run", [&]() -> Result<RunId> {
        auto station = station_id(impl, info.started);
        if (!station) return tl::unexpected(station.error());
        auto stmt = impl.prepare(
            "INSERT INTO runs(station_id, mode, operator, lot, profile, started_ms, owner_pid,"
            " owner_boot, owner_start, station_version, manifest_path, manifest_sha256,"
            " manifest_lines, no_manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "begin run");
        if (!stmt) return tl::unexpected(stmt.error());
        const auto& owner = impl.owner;
        const std::optional<std::string_view> version =
            info.station_version.empty() ? std::nullopt
                                         : std::optional<std::string_view>(info.station_version);
        const auto& manifest = info.manifest;
        auto done = impl.run(
            stmt->bind(*station, to_string(info.mode), info.operator_name, info.lot, info.profile,
                       info.started, owner.pid, owner.boot_id, owner.start_ticks, version,
                       manifest ? std::optional<std::string>(manifest->path) : std::nullopt,
                       manifest ? std::optional<std::string>(manifest->sha256) : std::nullopt,
                       manifest ? std::optional<std::int64_t>(manifest->lines) : std::nullopt,
                       info.no_manifest ? 1 : 0),
            "begin run");
        if (!done) return tl::unexpected(done.error());
        const RunId run{sqlite3_last_insert_rowid(impl.db)};
        for (const auto& profile : info.profiles) {
            auto add = impl.prepare(
                "INSERT INTO run_profiles(run_id, name, path, sha256) VALUES (?, ?, ?, ?)",
                "record run profiles");
            if (!add) return tl::unexpected(add.error());
            done = impl.run(add->bind(run.value, profile.name, profile.path, profile.sha256),
                            "record run profile " + profile.name);
            if (!done) return tl::unexpected(done.error());
        }
        return run;
    });
}

Result<void> Store::finish_run(RunId run, core::Outcome outcome, TimePoint ended) {
    Impl& impl = *m_impl;
    const std::string what = "finish run " + std::to_string(run.value);
    return impl.write(
        what,
        [&] {
            return update_one(
                impl, "UPDATE runs SET ended_ms = ?, outcome = ? WHERE id = ? AND ended_ms IS NULL",
                what, "no such open run", ended, core::to_string(outcome), run.value);
        },
        Impl::Scope::statement);
}

Result<SlotResultId> Store::begin_slot(RunId run, const SlotStart& start) {
    Impl& impl = *m_impl;
    const std::string what = "begin slot " + start.slot + " in run " + std::to_string(run.value);
    return impl.write(
        what,
        [&]() -> Result<SlotResultId> {
            auto stmt = impl.prepare(
                "INSERT INTO slot_results(run_id, slot, port_chain, port_path, attempt, started_ms)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                what);
            if (!stmt) return tl::unexpected(stmt.error());
            auto done = impl.run(stmt->bind(run.value, start.slot, start.port_chain,
                                            start.port_path, start.attempt, start.started),
                                 what);
            if (!done) return tl::unexpected(done.error());
            return SlotResultId{sqlite3_last_insert_rowid(impl.db)};
        },
        Impl::Scope::statement);
}

Result<void> Store::record_step(SlotResultId slot, const StepRecord& step) {
    Impl& impl = *m_impl;
    const std::string what =
        "record step " + step.name + " of slot result " + std::to_string(slot.value);
    return impl.write(
        what,
        [&]() -> Result<void> {
            auto stmt = impl.prepare(
                "INSERT INTO step_results(slot_result_id, name, outcome, reason, message, "
                "started_ms,"
                " ended_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                what);
            if (!stmt) return tl::unexpected(stmt.error());
            return impl.run(
                stmt->bind(slot.value, step.name, core::to_string(step.outcome),
                           reason_text(step.reason), step.message, step.started, step.ended),
                what);
        },
        Impl::Scope::statement);
}

Result<void> Store::record_transcript(SlotResultId slot, std::string_view text) {
    Impl& impl = *m_impl;
    const std::string what = "record transcript of slot result " + std::to_string(slot.value);
    return impl.write(
        what,
        [&]() -> Result<void> {
            auto stmt =
                impl.prepare("INSERT INTO transcripts(slot_result_id, text) VALUES (?, ?)", what);
            if (!stmt) return tl::unexpected(stmt.error());
            return impl.run(stmt->bind(slot.value, text), what);
        },
        Impl::Scope::statement);
}

Result<void> Store::finish_slot(SlotResultId slot, const SlotFinish& finish) {
    Impl& impl = *m_impl;
    const auto& id = finish.identity;
    std::optional<std::string_view> region;
    if (finish.region) region = core::to_string(*finish.region);
    std::optional<std::string_view> data_center;
    if (finish.data_center) data_center = core::to_string(*finish.data_center);
    const std::string what = "finish slot result " + std::to_string(slot.value);
    const std::string images = join_lines(id.carrier_images);
    return impl.write(what, [&]() -> Result<void> {
        auto done = update_one(
            impl,
            "UPDATE slot_results SET manufacturer = ?, model = ?, firmware = ?, fsn = ?, imei = ?,"
            " imsi = ?, iccid = ?, iccid_command = ?, sim_status = ?, sim_status_text = ?,"
            " carrier_images = ?, region = ?, data_center = ?, outcome = ?, reason = ?,"
            " message = ?, ended_ms = ?, profile = ?, sku_basis = ? WHERE id = ? AND outcome IS "
            "NULL",
            what, "no such unfinished slot result", id.manufacturer, id.model, id.firmware, id.fsn,
            id.imei, id.imsi, id.iccid, id.iccid_command, core::to_string(id.sim_status),
            id.sim_status_text, images, region, data_center, core::to_string(finish.outcome),
            reason_text(finish.reason), finish.message, finish.ended, finish.profile,
            finish.sku_basis, slot.value);
        if (!done) return done;
        return insert_slot_signals(impl, slot, finish.signals);
    });
}

Result<DeviceChange> upsert_device_row(Store::Impl& impl, const DeviceSighting& sighting) {
    const std::string what = "record device " + sighting.fsn;
    if (sighting.fsn.empty()) {
        return fail(Reason::store_error, impl.path.string() + ": record device: empty FSN");
    }
    std::optional<std::int64_t> slot;
    if (sighting.slot_result) slot = sighting.slot_result->value;
    auto find = impl.prepare("SELECT imei, iccid FROM devices WHERE fsn = ?", what);
    if (!find) return tl::unexpected(find.error());
    const int rc = find->bind(sighting.fsn).step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    DeviceChange change;
    change.new_unit = rc == SQLITE_DONE;
    if (rc == SQLITE_ROW) {
        const std::string imei = find->text(0);
        const std::string iccid = find->text(1);
        if (!imei.empty() && !sighting.imei.empty() && imei != sighting.imei) {
            change.previous_imei = imei;
        }
        if (!iccid.empty() && !sighting.iccid.empty() && iccid != sighting.iccid) {
            change.previous_iccid = iccid;
        }
    }
    // Unreadable (empty) identifiers do not replace known ones.
    auto upsert = impl.prepare(
        "INSERT INTO devices(fsn, imei, iccid, first_seen_ms, last_seen_ms,"
        " last_slot_result_id) VALUES (?1, ?2, ?3, ?4, ?4, ?5) ON CONFLICT(fsn) DO UPDATE SET"
        " imei = CASE WHEN ?2 = '' THEN imei ELSE ?2 END,"
        " iccid = CASE WHEN ?3 = '' THEN iccid ELSE ?3 END,"
        " last_seen_ms = max(last_seen_ms, ?4),"
        " last_slot_result_id = coalesce(?5, last_slot_result_id)",
        what);
    if (!upsert) return tl::unexpected(upsert.error());
    auto done = impl.run(
        upsert->bind(sighting.fsn, sighting.imei, sighting.iccid, sighting.seen, slot), what);
    if (!done) return tl::unexpected(done.error());
    if (!sighting.iccid.empty()) {
        auto history = impl.prepare(
            "INSERT INTO device_iccids(fsn, iccid, first_seen_ms, last_seen_ms)"
            " VALUES (?1, ?2, ?3, ?3) ON CONFLICT(fsn, iccid) DO UPDATE SET"
            " last_seen_ms = max(last_seen_ms, ?3)",
            what);
        if (!history) return tl::unexpected(history.error());
        done = impl.run(history->bind(sighting.fsn, sighting.iccid, sighting.seen), what);
        if (!done) return tl::unexpected(done.error());
    }
    return change;
}

Result<DeviceChange> Store::upsert_device(const DeviceSighting& sighting) {
    Impl& impl = *m_impl;
    return impl.write("record device " + sighting.fsn,
                      [&] { return upsert_device_row(impl, sighting); });
}

Result<void> Store::record_event(std::optional<RunId> run, std::string_view kind,
                                 std::string_view text, TimePoint at) {
    std::optional<std::int64_t> run_id;
    if (run) run_id = run->value;
    Impl& impl = *m_impl;
    return impl.write(
        "record event",
        [&]() -> Result<void> {
            auto stmt =
                impl.prepare("INSERT INTO events(run_id, at_ms, kind, text) VALUES (?, ?, ?, ?)",
                             "record event");
            if (!stmt) return tl::unexpected(stmt.error());
            return impl.run(stmt->bind(run_id, at, kind, text), "record event");
        },
        Impl::Scope::statement);
}

}  // namespace station::store
