#include <drivers/usb/libusb_bus.hpp>

#include <libusb.h>

#include <algorithm>
#include <array>
#include <thread>

namespace drivers::usb {
namespace {

using station::core::fail;
using station::core::Reason;

constexpr int k_max_ports = 7;  // USB allows at most 7 tiers below the root

std::string libusb_message(const char* call, int code) {
    return std::string("libusb: ") + call + ": " + libusb_strerror(code);
}

// A libusb context, quiet (libusb logs to stderr otherwise), freed on destruction.
struct Context {
    libusb_context* ctx = nullptr;
    Context() = default;
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    ~Context() {
        if (ctx != nullptr) libusb_exit(ctx);
    }
};

Result<std::unique_ptr<Context>> open_context() {
    libusb_set_option(nullptr, LIBUSB_OPTION_LOG_LEVEL, LIBUSB_LOG_LEVEL_NONE);
    auto context = std::make_unique<Context>();
    if (const int rc = libusb_init(&context->ctx); rc != 0) {
        context->ctx = nullptr;
        return fail(Reason::port_unavailable, libusb_message("libusb_init", rc));
    }
    libusb_set_option(context->ctx, LIBUSB_OPTION_LOG_LEVEL, LIBUSB_LOG_LEVEL_NONE);
    return context;
}

// The devices of `ctx` matching `filter`, with sysfs strings and ttys.
Result<std::vector<UsbDevice>> list_devices(libusb_context* ctx, std::span<const UsbMatch> filter,
                                            const SysfsLayout& sysfs) {
    libusb_device** list = nullptr;
    const ssize_t count = libusb_get_device_list(ctx, &list);
    if (count < 0) {
        return fail(Reason::port_unavailable,
                    libusb_message("libusb_get_device_list", static_cast<int>(count)));
    }
    std::vector<UsbDevice> devices;
    for (ssize_t i = 0; i < count; ++i) {
        libusb_device* dev = list[i];
        libusb_device_descriptor desc{};
        if (libusb_get_device_descriptor(dev, &desc) != 0) continue;
        if (!matches(filter, desc.idVendor, desc.idProduct)) continue;
        std::array<std::uint8_t, k_max_ports> ports{};
        const int depth = libusb_get_port_numbers(dev, ports.data(), k_max_ports);
        if (depth <= 0) continue;  // a root hub, or a chain libusb cannot tell
        UsbDevice device;
        device.bus = libusb_get_bus_number(dev);
        device.address = libusb_get_device_address(dev);
        device.vendor_id = desc.idVendor;
        device.product_id = desc.idProduct;
        device.port_chain =
            port_chain(device.bus, std::span(ports.data(), static_cast<std::size_t>(depth)));
        read_usb_strings(sysfs, device.port_chain, device);
        device.ttys = find_usb_ttys(sysfs, device.port_chain);
        devices.push_back(std::move(device));
    }
    libusb_free_device_list(list, 1);
    std::sort(devices.begin(), devices.end(),
              [](const UsbDevice& a, const UsbDevice& b) { return a.port_chain < b.port_chain; });
    return devices;
}

class LibusbBus final : public UsbBus {
  public:
    LibusbBus(std::unique_ptr<Context> context, const LibusbOptions& options)
        : m_context(std::move(context)), m_sysfs(options.sysfs) {}

    ~LibusbBus() override {
        if (m_hotplug) libusb_hotplug_deregister_callback(m_context->ctx, m_handle);
    }
    LibusbBus(const LibusbBus&) = delete;
    LibusbBus& operator=(const LibusbBus&) = delete;

    // Registers for arrivals and departures of every device; the callback only sets a flag.
    Result<void> enable_hotplug() {
        const int rc = libusb_hotplug_register_callback(
            m_context->ctx,
            static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                              LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
            static_cast<libusb_hotplug_flag>(0), LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            LIBUSB_HOTPLUG_MATCH_ANY, &LibusbBus::on_hotplug, this, &m_handle);
        if (rc != LIBUSB_SUCCESS) {
            return fail(Reason::port_unavailable,
                        libusb_message("libusb_hotplug_register_callback", rc));
        }
        m_hotplug = true;
        return {};
    }

    Result<std::vector<UsbDevice>> enumerate(std::span<const UsbMatch> filter) override {
        if (!m_hotplug) {
            // Polling: only a fresh context sees devices that came or went since the last one.
            auto fresh = open_context();
            if (!fresh) return tl::unexpected(fresh.error());
            return list_devices((*fresh)->ctx, filter, m_sysfs);
        }
        // Let libusb apply pending udev events to its list before reading it.
        timeval zero{0, 0};
        libusb_handle_events_timeout_completed(m_context->ctx, &zero, nullptr);
        return list_devices(m_context->ctx, filter, m_sysfs);
    }

    Result<bool> wait_for_change(Clock::time_point deadline) override {
        if (!m_hotplug) {
            std::this_thread::sleep_until(deadline);
            return false;
        }
        m_changed = false;
        while (!m_changed) {
            const auto now = Clock::now();
            if (now >= deadline) return false;
            const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - now);
            timeval tv{static_cast<time_t>(left.count() / 1000000),
                       static_cast<suseconds_t>(left.count() % 1000000)};
            const int rc = libusb_handle_events_timeout_completed(m_context->ctx, &tv, nullptr);
            if (rc != 0 && rc != LIBUSB_ERROR_INTERRUPTED && rc != LIBUSB_ERROR_TIMEOUT) {
                return fail(Reason::port_unavailable,
                            libusb_message("libusb_handle_events_timeout_completed", rc));
            }
        }
        return true;
    }

    bool has_hotplug() const override { return m_hotplug; }

  private:
    // Runs inside libusb_handle_events on the bus' own thread; must not throw.
    static int LIBUSB_CALL on_hotplug(libusb_context*, libusb_device*, libusb_hotplug_event,
                                      void* self) noexcept {
        static_cast<LibusbBus*>(self)->m_changed = true;
        return 0;  // stay registered
    }

    std::unique_ptr<Context> m_context;
    SysfsLayout m_sysfs;
    libusb_hotplug_callback_handle m_handle = 0;
    bool m_hotplug = false;
    bool m_changed = false;
};

}  // namespace

Result<std::unique_ptr<UsbBus>> open_libusb_bus(const LibusbOptions& options) {
    auto context = open_context();
    if (!context) return tl::unexpected(context.error());
    auto bus = std::make_unique<LibusbBus>(std::move(*context), options);
    if (options.hotplug == HotplugMode::automatic &&
        libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0) {
        if (auto enabled = bus->enable_hotplug(); !enabled) return tl::unexpected(enabled.error());
    }
    return std::unique_ptr<UsbBus>(std::move(bus));
}

}  // namespace drivers::usb
