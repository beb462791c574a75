# Unit tests: station_store on real SQLite files in temp dirs (and a helper process to kill).
add_executable(store_child store/store_child.cpp)
target_link_libraries(store_child PRIVATE station_store station_warnings)

station_add_test(store_test
  SOURCES store/open_test.cpp store/migration_test.cpp store/writes_test.cpp
          store/identity_claim_test.cpp store/evidence_test.cpp
          store/outbox_test.cpp store/outbox_role_test.cpp store/crash_test.cpp
          store/run_log_role_test.cpp store/records_time_test.cpp
          store/rma_test.cpp store/regress_test.cpp store/checkpointer_test.cpp
  LIBS station_store test_support memory_store_support SQLite::SQLite3
  LABELS unit concurrency)
add_dependencies(store_test store_child)

# station_report: CSV, JUnit XML (checked with xmllint against tests/data/report/junit.xsd), JSON.
station_add_test(report_test
  SOURCES report/report_test.cpp report/evidence_report_test.cpp report/retest_report_test.cpp
          report/regress_report_test.cpp
  LIBS station_report test_support nlohmann_json::nlohmann_json)
station_uses_std_regex(report/regress_report_test.cpp)

# Outbox rows of action `update` (issue 16): one live update per unit, ICCID and data center.
station_add_test(store_outbox_update_test
  SOURCES store/outbox_update_test.cpp
  LIBS station_store test_support SQLite::SQLite3)
