# Unit tests: station_workflows pieces that need no router
station_add_test(workflows_slot_threads_test
  SOURCES workflows/slot_threads_test.cpp
  LIBS station_workflows
  LABELS unit concurrency)

# The bulk export file (station/workflows/register_export).
station_add_test(workflows_export_test
  SOURCES workflows/export_test.cpp
  LIBS station_workflows)
# The scan and rig workflows over fakes: serial ports through the injected opener, a USB bus,
# a device list.
station_add_test(workflows_scan_rig_test
  SOURCES workflows/scan_fake_ports_test.cpp workflows/rig_check_test.cpp
          workflows/rig_learn_test.cpp
  LIBS station_workflows test_support)
# push_outbox against an ALMS in memory and the manual clock (no network, no sleeping).
station_add_test(workflows_push_outbox_test
  SOURCES workflows/push_outbox_test.cpp
  LIBS station_workflows station_store test_support nlohmann_json::nlohmann_json
  LABELS unit concurrency)
# push_outbox carrying out `update` rows (SIM swapped since registration) against the same fake.
station_add_test(workflows_push_update_test
  SOURCES workflows/push_update_test.cpp
  LIBS station_workflows station_store test_support nlohmann_json::nlohmann_json)
# check_alms (retest --alms-check) over two fake look-ups.
station_add_test(workflows_alms_check_test
  SOURCES workflows/alms_check_test.cpp
  LIBS station_workflows test_support)
# AlmsClient::find_by_imei (the retest's read-only look-up) against the same fake.
station_add_test(alms_find_by_imei_test
  SOURCES workflows/find_by_imei_test.cpp
  LIBS station_alms test_support nlohmann_json::nlohmann_json)
# The regression night's per-slot pipeline over fake runs (no router, no sleeping).
station_add_test(workflows_regress_pipeline_test
  SOURCES workflows/regress_pipeline_test.cpp
  LIBS station_workflows)
