# Unit tests: station_alms. Pure parts (retry policy, mapping, URLs, credentials) in one
# binary; the client and transport against the local stand-in on 127.0.0.1 in another.
station_add_test(alms_test
  SOURCES alms/retry_policy_test.cpp alms/mapping_test.cpp alms/url_test.cpp alms/config_test.cpp
    alms/account_config_test.cpp
  LIBS station_alms test_support nlohmann_json::nlohmann_json)
station_add_test(alms_client_test
  SOURCES alms/client_test.cpp alms/transport_test.cpp
  LIBS station_alms alms_standin_support
  LABELS integration)  # against the ALMS stand-in (python)
# The outbox row's company (pallet manifest) on every ALMS call: store + push + stand-in.
station_add_test(alms_push_company_test
  SOURCES alms/push_company_test.cpp
  LIBS station_workflows alms_standin_support
  LABELS integration)
