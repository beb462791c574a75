option(STATION_WERROR "Treat warnings as errors (on in CI)" OFF)
set(STATION_SANITIZE "" CACHE STRING
    "Sanitizers for every target, e.g. address,undefined or thread (scripts/test-sanitizers)")
option(STATION_BENCH "Build the benchmarks under tests/bench" ON)
if(STATION_SANITIZE)
  # Frame pointers for whole stack traces; a UBSan finding aborts (fails the test) instead of
  # printing and going on.
  add_compile_options(-fsanitize=${STATION_SANITIZE} -fno-omit-frame-pointer)
  if(STATION_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=all)
  endif()
  add_link_options(-fsanitize=${STATION_SANITIZE})
endif()
# libFuzzer build (scripts/fuzz, clang only): every library instrumented for coverage with
# ASan+UBSan; tests/fuzz links the targets with libFuzzer's main instead of the replay driver.
option(STATION_FUZZ "Build the tests/fuzz targets with libFuzzer (clang)" OFF)
if(STATION_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
# Unity builds of the test binaries (README, "Tests"): each binary's sources compiled as one
# translation unit per batch, so gtest, nlohmann-json and the standard library are parsed and
# their inline code generated once per batch instead of once per source. OFF builds every test
# source on its own (a name two test sources of one binary both define at file scope is then
# found only by the unity build; `scripts/test` and CI build with it ON).
option(STATION_UNITY_TESTS "Build each test binary as unity batches" ON)
