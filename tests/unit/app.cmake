# Unit tests: station/app views of a pallet run (live table, event lines, summary).
# Each links station_alms_loader: station_app is built in unity batches, and the batch of a view
# the test calls may call alms_session.cpp, which needs the loader.
station_add_test(app_view_test
  SOURCES app/pallet_view_test.cpp app/event_lines_test.cpp app/run_summary_test.cpp
          app/held_view_test.cpp
  LIBS station_app station_alms_loader nlohmann_json::nlohmann_json)
station_uses_std_regex(app/pallet_view_test.cpp app/event_lines_test.cpp  # view_events.hpp
                       app/run_summary_test.cpp app/held_view_test.cpp)

# Scan rows and views (station/app) without hardware.
station_add_test(scan_rows_test
  SOURCES app/scan_rows_test.cpp
  LIBS station_app station_alms_loader test_support nlohmann_json::nlohmann_json
  LABELS unit usb)
# The one error shape of the app (error_line.hpp), table-driven.
station_add_test(app_error_line_test
  SOURCES app/error_line_test.cpp
  LIBS station_app station_alms_loader)
