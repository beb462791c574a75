# Unit tests: serial
station_add_test(serial_termios_test
  SOURCES serial/termios_port_test.cpp serial/master_side.cpp
  LIBS drivers util
  ENV LC_ALL=C  # error texts are asserted in English
  LABELS serial)
