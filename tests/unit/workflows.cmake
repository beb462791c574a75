# Unit tests: station_workflows pieces that need no router
station_add_test(workflows_slot_threads_test
  SOURCES workflows/slot_threads_test.cpp
  LIBS station_workflows)

# The bulk export file (station/workflows/register_export).
station_add_test(workflows_export_test
  SOURCES workflows/export_test.cpp
  LIBS station_workflows)
