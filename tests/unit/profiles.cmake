# Unit tests: SKU profile loader and the shipped profiles
station_add_test(profiles_loader_test
  SOURCES profiles/loader_test.cpp
  LIBS profiles test_support)

# Unit tests: the shared evidence tables (profiles/networks.toml), their loader and look-ups
station_add_test(profiles_networks_test
  SOURCES profiles/networks_test.cpp
  LIBS profiles test_support)

# Unit tests: the SKU decision over every row of the shipped tables and the shipped profiles
station_add_test(profiles_sku_evidence_test
  SOURCES profiles/sku_evidence_test.cpp
  LIBS profiles test_support)

# Unit tests: the identity plan's round-trip keys (yields, when, on_error_of, join)
station_add_test(profiles_plan_keys_test
  SOURCES profiles/plan_keys_test.cpp
  LIBS profiles test_support)

# Unit tests: a profiles folder's files hashed only when a run records them (start-up cost)
station_add_test(profiles_hashes_test
  SOURCES profiles/hashes_test.cpp
  LIBS profiles test_support)
