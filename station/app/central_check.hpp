// check_duplicates' central look-up over libpq (issue 20): one connection kept for the run,
// made on first use; when the server does not answer (connect bounded by connect_timeout_s,
// default 2 s) the look-up fails at once for the next 30 s rather than making every unit wait.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include <station/central/pq.hpp>
#include <station/workflows/central_check.hpp>

namespace station::app {

class PgCentralCheck final : public workflows::CentralCheck {
  public:
    PgCentralCheck(central::ConnectSpec spec, std::string station);
    core::Result<std::vector<workflows::CentralHolder>> holders(std::string_view fsn,
                                                                std::string_view imei,
                                                                std::string_view iccid) override;

  private:
    central::ConnectSpec m_spec;
    std::string m_station;
    std::mutex m_mutex;
    std::optional<central::Connection> m_db;
    std::optional<std::chrono::steady_clock::time_point> m_failed_at;
};

}  // namespace station::app
