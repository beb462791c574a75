#include <station/app/central_check.hpp>

#include <algorithm>

#include <station/central/duplicates.hpp>

namespace station::app {
namespace {

constexpr auto k_quiet_after_failure = std::chrono::seconds(30);
// A look-up is one indexed query (well under a millisecond on loopback), and every slot waits on
// it: one that takes longer ends as a failed central check (the local check still runs), not a
// pallet held for the configured statement timeout.
constexpr auto k_lookup_bound = std::chrono::seconds(5);

}  // namespace

PgCentralCheck::PgCentralCheck(central::ConnectSpec spec, std::string station)
    : m_spec(std::move(spec)), m_station(std::move(station)) {
    m_spec.statement_timeout = std::min(m_spec.statement_timeout, k_lookup_bound);
    m_spec.lock_timeout = std::min(m_spec.lock_timeout, k_lookup_bound);
}

core::Result<std::vector<workflows::CentralHolder>> PgCentralCheck::holders(
    std::string_view fsn, std::string_view imei, std::string_view iccid) {
    const std::lock_guard lock(m_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (!m_db) {
        if (m_failed_at && now - *m_failed_at < k_quiet_after_failure) {
            return core::fail(core::Reason::store_error, "central database: unreachable");
        }
        auto db = central::Connection::connect(m_spec);
        if (!db) {
            m_failed_at = now;
            return tl::unexpected(db.error());
        }
        m_db.emplace(std::move(*db));
    }
    auto found = central::central_holders(*m_db, m_station, fsn, imei, iccid);
    if (!found) {
        if (!m_db->ok()) m_db.reset();  // the server went away: connect again later
        m_failed_at = now;
        return tl::unexpected(found.error());
    }
    std::vector<workflows::CentralHolder> out;
    for (auto& h : *found) {
        out.push_back({std::move(h.station), std::move(h.fsn), h.reason, std::move(h.value)});
    }
    return out;
}

}  // namespace station::app
