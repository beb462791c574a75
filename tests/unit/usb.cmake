# Unit tests: usb (pure parts) and rig files
station_add_test(usb_test
  SOURCES usb/debouncer_test.cpp usb/device_watcher_test.cpp usb/usb_device_test.cpp
          usb/rig_test.cpp
  LIBS drivers fixtures_rig test_support
  ENV LC_ALL=C
  LABELS unit usb concurrency)

# The USB layer and the station's scan/rig commands on an emulated bench: one ctest entry run
# under umockdev-wrapper with the serial tests' ioctl shim (serial/ioctl_shim.cpp) linked in
# for this process and preloaded (as a module) into the station binaries it starts.
add_library(usb_test_ioctl_shim MODULE serial/ioctl_shim.cpp)
target_link_libraries(usb_test_ioctl_shim PRIVATE ${CMAKE_DL_LIBS})
station_add_test(usb_umockdev_test
  SOURCES usb/usb_umockdev_test.cpp usb/usb_station_test.cpp usb/usb_testbed.cpp
          serial/ioctl_shim.cpp
  LIBS drivers fixtures_rig test_support nlohmann_json::nlohmann_json PkgConfig::UMOCKDEV
       ${CMAKE_DL_LIBS}
  WRAPPER umockdev-wrapper
  ENV LC_ALL=C
  LABELS integration umockdev usb slow)
target_link_options(usb_umockdev_test PRIVATE -Wl,--export-dynamic-symbol=ioctl)
target_compile_definitions(usb_umockdev_test PRIVATE
  USB_TEST_IOCTL_SHIM="$<TARGET_FILE:usb_test_ioctl_shim>")
add_dependencies(usb_umockdev_test station usb_test_ioctl_shim)

# scripts/install-udev-rules copies the rules (into a temp dir here; udev is not touched).
add_test(NAME install_udev_rules_test COMMAND bash -c
  "set -e; d=$(mktemp -d); trap 'rm -rf $d' EXIT; \
   '${PROJECT_SOURCE_DIR}/scripts/install-udev-rules' --dest \"$d\" --no-reload; \
   grep -q 'ATTRS{idVendor}==\"1199\"' \"$d/70-station-sierra.rules\"; \
   grep -q 'ENV{ID_MM_DEVICE_IGNORE}=\"1\"' \"$d/70-station-sierra.rules\"; \
   ! '${PROJECT_SOURCE_DIR}/scripts/install-udev-rules' --bogus 2>/dev/null")
set_tests_properties(install_udev_rules_test PROPERTIES LABELS "unit;usb" TIMEOUT 30)
