// The [[plan]] tables of a SKU profile: the identity plan's steps, strictly validated
// ("file:line: plan[3].when: ..."). See README "SKU profiles" for the keys.
#pragma once

#include <drivers/router/identity_plan.hpp>
#include <station/config/toml_reader.hpp>

namespace profiles {

void read_plan(station::config::TomlReader& parent, station::config::TomlProblems& problems,
               drivers::router::IdentityPlan& plan);

}  // namespace profiles
