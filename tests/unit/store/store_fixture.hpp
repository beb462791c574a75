// Shared helpers for the store tests: a fresh database in a temp dir, sample records, raw SQL.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <process.hpp>
#include <station/store/store.hpp>

namespace tests::store {

namespace st = station::store;
using station::core::Outcome;
using station::core::Reason;

inline st::TimePoint at_ms(std::int64_t ms) {
    return st::from_ms(1'790'000'000'000 + ms);
}

inline st::RunInfo sample_run(std::string lot = "PAL-1",
                              st::RunMode mode = st::RunMode::provision) {
    return st::RunInfo{mode, "alice", std::move(lot), "xr90-na", at_ms(0)};
}

inline st::SlotStart sample_slot(std::string slot = "A1", int attempt = 1) {
    return st::SlotStart{std::move(slot), "1-1.3", "/dev/ttyUSB2", attempt, at_ms(10)};
}

inline st::SlotFinish sample_finish(std::string fsn, std::string imei, std::string iccid,
                                    Outcome outcome = Outcome::pass) {
    st::SlotFinish finish;
    finish.identity.manufacturer = "Sierra Wireless, Incorporated";
    finish.identity.model = "EM7565";
    finish.identity.firmware = "SWI9X50C_01.14.03.00";
    finish.identity.fsn = std::move(fsn);
    finish.identity.imei = std::move(imei);
    finish.identity.imsi = "310170000000001";
    finish.identity.iccid = std::move(iccid);
    finish.identity.iccid_command = "AT!ICCID?";
    finish.identity.sim_status = station::core::SimStatus::ready;
    finish.identity.carrier_images = {"ATT", "GENERIC"};
    finish.region = station::core::Region::na;
    finish.data_center = station::core::DataCenter::na;
    finish.outcome = outcome;
    if (outcome != Outcome::pass) finish.reason = Reason::sku_mismatch;
    finish.message = outcome == Outcome::pass ? "" : "Global unit on an NA pallet";
    finish.ended = at_ms(500);
    return finish;
}

// Unwraps a Result in a test, failing it (with the store's message) when it holds an error.
template <class T>
T ok(station::core::Result<T> result) {
    if (!result) {
        ADD_FAILURE() << "store error: " << result.error().message;
        throw std::runtime_error(result.error().message);
    }
    if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// Runs SQL on the file through a connection of its own (to fake other versions, owners, damage).
inline void raw_sql(const std::filesystem::path& db, const std::string& sql) {
    sqlite3* conn = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &conn), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err != nullptr ? err : "";
    sqlite3_free(err);
    sqlite3_close(conn);
    ASSERT_EQ(rc, SQLITE_OK) << message << "\nin: " << sql;
}

// One integer from a query on the file.
inline std::int64_t raw_int(const std::filesystem::path& db, const std::string& sql) {
    sqlite3* conn = nullptr;
    sqlite3_open(db.c_str(), &conn);
    sqlite3_stmt* stmt = nullptr;
    std::int64_t value = -1;
    if (sqlite3_prepare_v2(conn, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(conn);
    return value;
}

class StoreTest : public ::testing::Test {
  protected:
    std::filesystem::path db_path() const {
        return std::filesystem::path(m_dir.path()) / "station.db";
    }
    st::Store open_store(const st::OpenOptions& options = {}) {
        return ok(st::Store::open(db_path(), options));
    }
    const std::string& dir() const { return m_dir.path(); }

  private:
    tests::TempDir m_dir;
};

}  // namespace tests::store
