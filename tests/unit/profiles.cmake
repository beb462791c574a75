# Unit tests: SKU profile loader and the shipped profiles
station_add_test(profiles_loader_test
  SOURCES profiles/loader_test.cpp
  LIBS profiles test_support)
