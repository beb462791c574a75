# Unit tests: serial
station_add_test(serial_termios_test
  SOURCES serial/termios_port_test.cpp serial/master_side.cpp
  LIBS drivers util
  ENV LC_ALL=C  # error texts are asserted in English
  LABELS unit serial)

# The libserialport backend against an emulated USB modem: one ctest entry, run under
# umockdev-wrapper, with a test-only ioctl() override (serial/ioctl_shim.cpp).
station_add_test(serial_libserialport_test
  SOURCES serial/libserialport_port_test.cpp serial/ioctl_shim.cpp serial/master_side.cpp
  LIBS drivers util PkgConfig::UMOCKDEV PkgConfig::SERIALPORT ${CMAKE_DL_LIBS}
  WRAPPER umockdev-wrapper
  ENV LC_ALL=C
  LABELS unit umockdev serial)
# libserialport must resolve ioctl() to the override in the executable.
target_link_options(serial_libserialport_test PRIVATE -Wl,--export-dynamic-symbol=ioctl)
