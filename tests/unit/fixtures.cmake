# Unit tests: fixtures (routersim). Registered as ONE ctest test running the whole gtest binary
# (WRAPPER env), so `ctest -R routersim` selects it; gtest's own output lists every case.
station_add_test(routersim_test
  SOURCES fixtures/personality_test.cpp fixtures/commands_test.cpp fixtures/router_test.cpp
          fixtures/simulator_test.cpp fixtures/cli_test.cpp fixtures/manifest_test.cpp
          fixtures/concat_line_test.cpp fixtures/overrides_test.cpp
  LIBS fixtures
  WRAPPER env
  LABELS slow routersim)  # about 5 s in all: not in `ctest -L unit`
