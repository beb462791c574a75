# Unit tests: station/app views (the pallet run's live table, event lines and summary).
station_add_test(app_view_test
  SOURCES app/pallet_view_test.cpp
  LIBS station_app nlohmann_json::nlohmann_json)
