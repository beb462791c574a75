# Unit tests: station_workflows pieces that need no router
station_add_test(workflows_slot_threads_test
  SOURCES workflows/slot_threads_test.cpp
  LIBS station_workflows)
# push_outbox against an ALMS in memory and the manual clock (no network, no sleeping).
station_add_test(workflows_push_outbox_test
  SOURCES workflows/push_outbox_test.cpp
  LIBS station_workflows station_store test_support nlohmann_json::nlohmann_json)
