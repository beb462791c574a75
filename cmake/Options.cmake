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
# Unity builds (README, "Run the tests"): each target's sources compiled as one translation
# unit per batch of 8, so the standard library, gtest and nlohmann-json are parsed, and their
# inline code generated, once per batch instead of once per source: builds are most of CI's
# time. A source's file-scope names (even in an anonymous namespace) therefore meet those of
# the other sources in its batch: each needs a name of its own (the build stops on a clash).
# A source that must stay alone says so (SKIP_UNITY_BUILD_INCLUSION, e.g. station/app's
# alms_session.cpp). OFF builds every source on its own.
option(STATION_UNITY "Build every target as unity batches of 8 sources" ON)
set(CMAKE_UNITY_BUILD ${STATION_UNITY})
set(CMAKE_UNITY_BUILD_BATCH_SIZE 8)
