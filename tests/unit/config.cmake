# Unit tests: station_config's readers (the pallet manifest: errors one by one, then the forms
# real exports take and load_manifest on real files).
station_add_test(config_manifest_test
  SOURCES config/manifest_file_test.cpp config/manifest_forms_test.cpp
  LIBS station_config test_support)
