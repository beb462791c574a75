#include <station/central/duplicates.hpp>

namespace station::central {

core::Result<std::vector<CentralHolder>> central_holders(Connection& db, std::string_view station,
                                                         std::string_view fsn,
                                                         std::string_view imei,
                                                         std::string_view iccid) {
    // Two index look-ups (devices_by_iccid, devices_by_imei); an empty value matches nothing.
    auto rows = db.exec(
        "SELECT station, fsn, 'iccid', iccid FROM devices WHERE lower(iccid) = lower($3) AND "
        "$3 <> '' AND station <> $1 AND lower(fsn) <> lower($2) "
        "UNION ALL "
        "SELECT station, fsn, 'imei', imei FROM devices WHERE lower(imei) = lower($4) AND "
        "$4 <> '' AND station <> $1 AND lower(fsn) <> lower($2) "
        "ORDER BY 3, 1, 2 LIMIT 5",
        {std::string(station), std::string(fsn), std::string(iccid), std::string(imei)},
        "look up duplicates");
    if (!rows) return tl::unexpected(rows.error());
    std::vector<CentralHolder> holders;
    for (const auto& r : *rows) {
        holders.push_back({r[0].value_or(""), r[1].value_or(""),
                           r[2] == "iccid" ? core::Reason::duplicate_iccid
                                           : core::Reason::duplicate_imei,
                           r[3].value_or("")});
    }
    return holders;
}

}  // namespace station::central
