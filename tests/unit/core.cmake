# Unit tests: station_core
station_add_test(core_test
  SOURCES core/identifiers_test.cpp core/reason_test.cpp core/region_test.cpp core/sanitize_test.cpp core/sku_decision_test.cpp core/text_test.cpp core/time_text_test.cpp core/utf8_test.cpp core/sha256_test.cpp core/manifest_test.cpp
  LIBS station_core)

# The one CSV writer (core/csv.hpp), table-driven.
station_add_test(core_csv_test
  SOURCES core/csv_test.cpp
  LIBS station_core)
