#include <station/central/sync.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <station/central/schema.hpp>

namespace station::central {
namespace {

constexpr std::string_view k_changes = "(changes)";

std::string column_list(const TableSpec& t) {
    std::string list = "station";
    for (const auto& c : t.columns) list += ", " + std::string(c.name);
    return list;
}

std::string stage_of(const TableSpec& t) {
    return "stage_" + std::string(t.name);
}

// INSERT INTO t SELECT FROM its stage; rows that change are updated, the others left.
std::string upsert_sql(const TableSpec& t) {
    const std::string cols = column_list(t);
    std::string sql = "INSERT INTO " + std::string(t.name) + " (" + cols + ") SELECT " + cols +
                      " FROM " + stage_of(t) + " ON CONFLICT (station, id) DO ";
    if (!t.changes) return sql + "NOTHING";
    sql += "UPDATE SET ";
    bool first = true;
    for (const auto& c : t.columns) {
        if (c.name == "id") continue;
        if (!first) sql += ", ";
        first = false;
        sql += std::string(c.name) + " = EXCLUDED." + std::string(c.name);
    }
    return sql;
}

template <class T>
tl::unexpected<core::Error> rollback(Connection& db, const core::Result<T>& failed) {
    if (db.ok()) (void)db.run("ROLLBACK", "roll back");
    return tl::unexpected(failed.error());
}

}  // namespace

// One lane's batches: its local reader, its central connection, its COPY buffer.
class Shipper {
  public:
    Shipper(LocalSource& local, Connection& central, const SyncOptions& options)
        : m_local(local), m_central(central), m_options(options) {}
    core::Result<void> make_stages();
    core::Result<std::int64_t> ship_table(const TableSpec& t);
    core::Result<std::int64_t> lock_mark(std::string_view tbl);
    core::Result<void> upsert(const TableSpec& t, const std::vector<Row>& rows);
    core::Result<void> commit_mark(std::string_view tbl, std::int64_t mark);
    LocalSource& local() { return m_local; }
    Connection& central() { return m_central; }

  private:
    core::Result<void> upsert_copy(const TableSpec& t, std::string_view data);
    core::Result<bool> none_from(const TableSpec& t, std::int64_t first);
    core::Result<bool> ship_batch(const TableSpec& t, std::int64_t mark, bool direct);
    LocalSource& m_local;
    Connection& m_central;
    const SyncOptions& m_options;
    std::string m_buffer;  // a batch's COPY text, reused
    std::int64_t m_batch_rows = 0;
    std::int64_t m_batch_last = 0;
};

std::int64_t SyncCounts::total() const {
    std::int64_t n = 0;
    for (const auto& [name, count] : rows) n += count;
    return n;
}

Syncer::Syncer(const std::vector<Lane>& lanes, SyncOptions options)
    : m_options(std::move(options)) {
    for (const auto& lane : lanes) {
        m_lanes.push_back(std::make_unique<Shipper>(lane.local, lane.central, m_options));
    }
}

Syncer::~Syncer() = default;

core::Result<void> Shipper::make_stages() {
    for (const auto& t : synced_tables()) {
        auto made = m_central.run("CREATE TEMP TABLE IF NOT EXISTS " + stage_of(t) +
                                      " ON COMMIT DELETE ROWS AS SELECT " + column_list(t) +
                                      " FROM " + std::string(t.name) + " WITH NO DATA",
                                  "create the staging table of " + std::string(t.name));
        if (!made) return tl::unexpected(made.error());
    }
    return {};
}

core::Result<void> Syncer::prepare() {
    Connection& central = m_lanes.front()->central();
    if (auto migrated = migrate_central(central); !migrated) {
        return tl::unexpected(migrated.error());
    }
    auto station = central.exec(
        "INSERT INTO stations(station, hostname) VALUES ($1, $2) ON CONFLICT (station) DO "
        "UPDATE SET hostname = EXCLUDED.hostname, last_sync = now()",
        {m_options.station, m_options.hostname}, "register the station");
    if (!station) return tl::unexpected(station.error());
    for (const auto& lane : m_lanes) {
        if (auto made = lane->make_stages(); !made) return made;
    }
    for (const auto& t : synced_tables()) {
        auto mark = central.exec(
            "INSERT INTO sync_marks(station, tbl) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            {m_options.station, std::string(t.name)}, "create the sync mark");
        if (!mark) return tl::unexpected(mark.error());
    }
    auto mark = central.exec(
        "INSERT INTO sync_marks(station, tbl) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        {m_options.station, std::string(k_changes)}, "create the sync mark");
    if (!mark) return tl::unexpected(mark.error());
    return m_lanes.front()->local().enable_changes();
}

core::Result<SyncCounts> Syncer::pass() {
    SyncCounts counts;
    auto pulled = pull_central_registrations();
    if (!pulled) return tl::unexpected(pulled.error());
    counts.registered_centrally = *pulled;
    if (auto shipped = ship_tables(counts); !shipped) return tl::unexpected(shipped.error());
    auto n = ship_changes();
    if (!n) return tl::unexpected(n.error());
    counts.rows[std::string(k_changes)] = *n;
    return counts;
}

core::Result<void> Syncer::ship_tables(SyncCounts& counts) {
    // The tables in the order lanes take them: most work waiting first (rows after the mark,
    // times columns: a rough cost), so the largest does not start last.
    Shipper& first = *m_lanes.front();
    auto marks = first.central().exec("SELECT tbl, mark FROM sync_marks WHERE station = $1",
                                      {m_options.station}, "read the sync marks");
    if (!marks) return tl::unexpected(marks.error());
    std::vector<std::pair<std::int64_t, const TableSpec*>> order;
    for (const auto& t : synced_tables()) {
        auto last = first.local().last_id(t);
        if (!last) return tl::unexpected(last.error());
        std::int64_t mark = 0;
        for (const auto& r : *marks) {
            if (r.at(0).value_or("") == t.name) mark = std::stoll(r.at(1).value_or("0"));
        }
        const auto waiting = std::max<std::int64_t>(*last - mark, 0);
        order.emplace_back(waiting * static_cast<std::int64_t>(t.columns.size()), &t);
        counts.rows[std::string(t.name)] = 0;
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });

    std::atomic<std::size_t> next{0};
    std::mutex lock;  // guards counts and failure
    std::optional<core::Error> failure;
    auto work = [&](Shipper& lane) {
        for (;;) {
            {
                const std::scoped_lock held(lock);
                if (failure) return;
            }
            const std::size_t i = next++;
            if (i >= order.size()) return;
            const TableSpec& t = *order[i].second;
            auto n = lane.ship_table(t);
            const std::scoped_lock held(lock);
            if (!n) {
                if (!failure) failure = n.error();
                return;
            }
            counts.rows[std::string(t.name)] = *n;
        }
    };
    std::vector<std::jthread> others;
    for (std::size_t l = 1; l < m_lanes.size(); ++l) {
        others.emplace_back([&work, &lane = *m_lanes[l]] { work(lane); });
    }
    work(first);
    others.clear();  // joins
    if (failure) return tl::unexpected(*failure);
    return {};
}

core::Result<std::int64_t> Syncer::pull_central_registrations() {
    // Rows this station last shipped as still to be sent that a central pusher registered.
    Shipper& first = *m_lanes.front();
    auto rows = first.central().exec(
        "SELECT id, coalesce(central_remote_id, ''), (extract(epoch FROM central_at) * "
        "1000)::bigint"
        " FROM outbox WHERE station = $1 AND central_state = 'registered'"
        " AND state IN ('pending', 'in_doubt') ORDER BY id",
        {m_options.station}, "read the central registrations");
    if (!rows) return tl::unexpected(rows.error());
    std::int64_t recorded = 0;
    for (const auto& r : *rows) {
        auto done = first.local().record_central_registration(std::stoll(r.at(0).value_or("0")),
                                                        r.at(1).value_or(""),
                                                        std::stoll(r.at(2).value_or("0")));
        if (!done) return tl::unexpected(done.error());
        if (*done) ++recorded;
    }
    return recorded;
}

core::Result<std::int64_t> Shipper::lock_mark(std::string_view tbl) {
    if (auto begun = m_central.run("BEGIN", "begin a batch"); !begun) {
        return tl::unexpected(begun.error());
    }
    auto rows = m_central.exec(
        "SELECT mark FROM sync_marks WHERE station = $1 AND tbl = $2 FOR UPDATE",
        {m_options.station, std::string(tbl)}, "lock the sync mark of " + std::string(tbl));
    if (!rows) return rollback(m_central, rows);
    if (rows->empty()) {
        auto none = core::Result<std::int64_t>(core::fail(
            core::Reason::store_error, "central database: no sync mark for " + std::string(tbl)));
        return rollback(m_central, none);
    }
    return std::stoll(rows->front().front().value_or("0"));
}

core::Result<void> Shipper::upsert(const TableSpec& t, const std::vector<Row>& rows) {
    std::string data;
    for (const auto& row : rows) {
        append_copy_field(data, m_options.station);
        for (const auto& v : row) {
            data += '\t';
            append_copy_field(data, v);
        }
        data += '\n';
    }
    return upsert_copy(t, data);
}

core::Result<void> Shipper::upsert_copy(const TableSpec& t, std::string_view data) {
    const std::string what = "ship " + std::string(t.name);
    auto copied = m_central.copy_in("COPY " + stage_of(t) + " (" + column_list(t) + ") FROM STDIN",
                                    data, what);
    if (!copied) return copied;
    return m_central.run(upsert_sql(t), what);  // the stage empties at COMMIT
}

core::Result<bool> Shipper::none_from(const TableSpec& t, std::int64_t first) {
    auto rows = m_central.exec("SELECT NOT EXISTS (SELECT 1 FROM " + std::string(t.name) +
                                   " WHERE station = $1 AND id >= $2)",
                               {m_options.station, std::to_string(first)},
                               "look for " + std::string(t.name) + " shipped ahead");
    if (!rows) return tl::unexpected(rows.error());
    return !rows->empty() && rows->front().front().value_or("f") == "t";
}

core::Result<bool> Shipper::ship_batch(const TableSpec& t, std::int64_t mark, bool direct) {
    std::string& data = m_buffer;
    data.clear();
    auto batch = m_local.copy_rows_after(t, mark, m_options.batch, m_options.station, data);
    if (!batch) return tl::unexpected(batch.error());
    if (batch->rows == 0) return false;
    // None of the batch's ids is in the central table yet (nothing past the mark was shipped by
    // the change log or anyone else): COPY straight into it, no staging, no conflict checks.
    // Any row there at COPY time (a change shipped meanwhile by another sync of this station)
    // fails the COPY on the key; ship_table then sends the batch again through the upsert.
    if (direct) {
        auto clear = none_from(t, batch->first);
        if (!clear) return tl::unexpected(clear.error());
        direct = *clear;
    }
    if (direct) {
        auto copied = m_central.copy_in(
            "COPY " + std::string(t.name) + " (" + column_list(t) + ") FROM STDIN", data,
            "ship " + std::string(t.name));
        if (!copied) return tl::unexpected(copied.error());
    } else if (auto up = upsert_copy(t, data); !up) {
        return tl::unexpected(up.error());
    }
    m_batch_rows = batch->rows;
    m_batch_last = batch->last;
    return true;
}

core::Result<void> Shipper::commit_mark(std::string_view tbl, std::int64_t mark) {
    auto set = m_central.exec("UPDATE sync_marks SET mark = $3 WHERE station = $1 AND tbl = $2",
                              {m_options.station, std::string(tbl), std::to_string(mark)},
                              "move the sync mark of " + std::string(tbl));
    if (!set) return rollback(m_central, set);
    return m_central.run("COMMIT", "commit a batch of " + std::string(tbl));
}

core::Result<std::int64_t> Shipper::ship_table(const TableSpec& t) {
    std::int64_t shipped = 0;
    bool direct = true;
    for (;;) {
        auto mark = lock_mark(t.name);
        if (!mark) return tl::unexpected(mark.error());
        auto more = ship_batch(t, *mark, direct);
        if (!more && direct && m_central.ok()) {
            // The straight COPY met a row already there: this batch again, through the upsert.
            (void)m_central.run("ROLLBACK", "roll back");
            direct = false;
            continue;
        }
        if (!more) return rollback(m_central, more);
        if (!*more) {
            auto done = m_central.run("COMMIT", "end a batch");
            if (!done) return tl::unexpected(done.error());
            return shipped;
        }
        if (auto done = commit_mark(t.name, m_batch_last); !done) {
            return tl::unexpected(done.error());
        }
        shipped += m_batch_rows;
        direct = true;
    }
}

core::Result<std::int64_t> Syncer::ship_changes() {
    Shipper& lane = *m_lanes.front();
    std::int64_t shipped = 0;
    for (;;) {
        auto mark = lane.lock_mark(k_changes);
        if (!mark) return tl::unexpected(mark.error());
        auto changes = lane.local().changes_after(*mark, m_options.batch);
        if (!changes) return rollback(lane.central(), changes);
        if (changes->empty()) {
            auto done = lane.central().run("COMMIT", "end a batch");
            if (!done) return tl::unexpected(done.error());
            return shipped;
        }
        for (const auto& t : synced_tables()) {
            std::set<std::int64_t> ids;
            for (const auto& c : *changes) {
                if (c.table == t.name) ids.insert(c.row_id);
            }
            std::vector<Row> rows;
            for (const auto id : ids) {
                auto row = lane.local().row(t, id);
                if (!row) return rollback(lane.central(), row);
                if (*row) rows.push_back(std::move(**row));
            }
            if (rows.empty()) continue;
            if (auto up = lane.upsert(t, rows); !up) return rollback(lane.central(), up);
            shipped += static_cast<std::int64_t>(rows.size());
        }
        const auto last = changes->back().seq;
        if (auto done = lane.commit_mark(k_changes, last); !done) return tl::unexpected(done.error());
        if (auto pruned = lane.local().prune_changes(last); !pruned) {
            return tl::unexpected(pruned.error());
        }
    }
}

}  // namespace station::central
