# Unit tests: station_core
station_add_test(core_test
  SOURCES core/identifiers_test.cpp core/reason_test.cpp core/region_test.cpp core/sanitize_test.cpp core/sku_decision_test.cpp core/text_test.cpp core/time_text_test.cpp core/utf8_test.cpp core/sha256_test.cpp core/manifest_test.cpp
  LIBS station_core)

# The one CSV writer (core/csv.hpp) and the one trim/join/integer parser (core/text.hpp),
# table-driven.
station_add_test(core_helpers_test
  SOURCES core/csv_test.cpp core/text_helpers_test.cpp core/finding_test.cpp core/retest_test.cpp
  LIBS station_core)

# The SKU of a returned unit (issue 16): basis history / part_number, the unit's signals veto.
station_add_test(core_sku_basis_test
  SOURCES core/sku_basis_test.cpp
  LIBS station_core)

# The nightly rig regression (issue 17): evaluate_night's findings table, percentiles, slower,
# summaries, trend and the exit status.
station_add_test(core_regress_test
  SOURCES core/regress_test.cpp core/regress_night_test.cpp
  LIBS station_core)

# Issue 19: the unit label's ZPL against golden files (tests/data/label), ZPL-safe fields.
station_add_test(core_zpl_label_test
  SOURCES core/zpl_label_test.cpp
  LIBS station_core)
