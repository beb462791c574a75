# Unit tests: AT channel (framing over the shared fake port) and router identity.
station_add_test(at_channel_test
  SOURCES at/channel_test.cpp
  LIBS drivers test_support)
station_add_test(router_identifier_test
  SOURCES router/identifier_test.cpp
  LIBS drivers test_support)
station_add_test(router_concat_test
  SOURCES router/concat_test.cpp
  LIBS drivers test_support)
