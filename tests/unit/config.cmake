# Unit tests: station_config's readers (the pallet manifest: errors one by one, then the forms
# real exports take and load_manifest on real files).
station_add_test(config_manifest_test
  SOURCES config/manifest_file_test.cpp config/manifest_forms_test.cpp
  LIBS station_config test_support)

# The regression rig's golden file (issue 17): every mistake with its file:line, the round trip
# of golden_text, TOML string quoting.
station_add_test(config_golden_test
  SOURCES config/golden_file_test.cpp
  LIBS station_config)
