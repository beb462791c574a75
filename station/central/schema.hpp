// The central database's schema as forward migrations, versioned like the local store's
// (station/store/schema.cpp): migration N takes the database from version N-1 to N in one
// transaction, under an advisory lock so stations starting together migrate it once. Never edit
// a shipped migration: add the next one.
#pragma once

#include <station/central/pq.hpp>

namespace station::central {

inline constexpr int k_central_schema_version = 2;

// Brings the central schema to k_central_schema_version; the version found before. Fails when
// the database is newer than this station knows.
core::Result<int> migrate_central(Connection& db);

}  // namespace station::central
