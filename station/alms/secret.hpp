// A credential (OAuth client secret, access token) that can be used but never shown.
// There is no conversion to string and no stream operator that prints the value: streaming a
// Secret writes "[redacted]", and the only way to the bytes is the explicit reveal(), which is
// called where the value goes on the wire and nowhere else (grep for it).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace station::alms {

class Secret {
  public:
    Secret() = default;
    explicit Secret(std::string value) : m_value(std::move(value)) {}
    Secret(const Secret&) = default;
    Secret& operator=(const Secret&) = default;
    Secret(Secret&& other) noexcept : m_value(std::move(other.m_value)) { other.wipe(); }
    Secret& operator=(Secret&& other) noexcept {
        if (this != &other) {
            wipe();
            m_value = std::move(other.m_value);
            other.wipe();
        }
        return *this;
    }
    ~Secret() { wipe(); }

    bool empty() const { return m_value.empty(); }
    // The raw value, for the wire only (HTTP Basic, Bearer header).
    const std::string& reveal() const { return m_value; }

    friend bool operator==(const Secret& a, const Secret& b) { return a.m_value == b.m_value; }

  private:
    void wipe() noexcept {
        // Overwrite before release so the value does not linger in freed heap memory.
        volatile char* p = m_value.data();
        for (std::size_t i = 0; i < m_value.size(); ++i) p[i] = '\0';
        m_value.clear();
    }

    std::string m_value;
};

// Streams "[redacted]" (or "[empty]"): a Secret that reaches a log says nothing.
inline std::ostream& operator<<(std::ostream& os, const Secret& secret) {
    return os << (secret.empty() ? "[empty]" : "[redacted]");
}

}  // namespace station::alms
