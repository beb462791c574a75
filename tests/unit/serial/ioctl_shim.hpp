// Test-only ioctl() override that gives ptys fake modem lines (see ioctl_shim.cpp for why).
#pragma once

namespace serial_test {

// The fake modem-line bits (TIOCM_*) the shim currently reports for every tty.
int modem_lines();

}  // namespace serial_test
