// Test-only ioctl() override, linked into the umockdev test binary only. The binary's own
// definition comes first in symbol lookup, so libserialport's ioctl calls land here.
//
// Why (measured with libserialport 0.1.1 and umockdev 0.17.16 on Debian 12):
// - a pty has no modem lines: TIOCMGET fails with ENOTTY in the kernel, and sp_open() gives up.
//   We answer TIOCMGET/TIOCMSET/TIOCMBIS/TIOCMBIC for ttys from a fake line state.
// - umockdev's preload answers ENOTTY itself for other requests on its emulated tty (TIOCINQ,
//   which sp_input_waiting() needs), without asking the kernel. When the preload says ENOTTY on
//   a real tty, we ask the kernel directly.
#include "ioctl_shim.hpp"

#include <dlfcn.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdarg>

namespace {

using IoctlFn = int (*)(int, unsigned long, ...);

std::atomic<int> g_modem_lines{TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CAR};

// The kernel's own ioctl, past every preloaded wrapper.
int kernel_ioctl(int fd, unsigned long request, void* arg) {
    return static_cast<int>(::syscall(SYS_ioctl, fd, request, arg));
}

// True when the kernel says `fd` is a terminal (asked directly, so no wrapper can lie).
bool kernel_is_tty(int fd) {
    struct termios tio {};
    const int saved = errno;
    const bool tty = kernel_ioctl(fd, TCGETS, &tio) == 0;
    errno = saved;
    return tty;
}

IoctlFn next_ioctl() {
    static const auto next = reinterpret_cast<IoctlFn>(::dlsym(RTLD_NEXT, "ioctl"));
    return next;
}

bool is_modem_line_request(unsigned long request) {
    return request == TIOCMGET || request == TIOCMSET || request == TIOCMBIS || request == TIOCMBIC;
}

int fake_modem_lines(unsigned long request, int* value) {
    if (value == nullptr) {
        errno = EFAULT;
        return -1;
    }
    if (request == TIOCMGET) {
        *value = g_modem_lines.load();
    } else if (request == TIOCMSET) {
        g_modem_lines.store(*value);
    } else if (request == TIOCMBIS) {
        g_modem_lines.fetch_or(*value);
    } else {
        g_modem_lines.fetch_and(~*value);
    }
    return 0;
}

}  // namespace

namespace serial_test {

int modem_lines() {
    return g_modem_lines.load();
}

}  // namespace serial_test

// ioctl() takes at most one argument after the request, a pointer or an int; both fit a void*.
extern "C" int ioctl(int fd, unsigned long request, ...) noexcept {
    va_list args;
    va_start(args, request);
    void* arg = va_arg(args, void*);
    va_end(args);

    if (is_modem_line_request(request) && kernel_is_tty(fd)) {
        return fake_modem_lines(request, static_cast<int*>(arg));
    }
    const int result = next_ioctl()(fd, request, arg);
    if (result < 0 && errno == ENOTTY && kernel_is_tty(fd)) {
        return kernel_ioctl(fd, request, arg);
    }
    return result;
}
