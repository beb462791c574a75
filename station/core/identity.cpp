#include <station/core/identity.hpp>

namespace station::core {

std::string_view to_string(SimStatus status) {
    switch (status) {
        case SimStatus::unknown:
            return "unknown";
        case SimStatus::ready:
            return "ready";
        case SimStatus::not_inserted:
            return "not_inserted";
        case SimStatus::pin_required:
            return "pin_required";
        case SimStatus::puk_required:
            return "puk_required";
        case SimStatus::failure:
            return "failure";
        case SimStatus::busy:
            return "busy";
        case SimStatus::other:
            return "other";
    }
    return "unknown";
}

}  // namespace station::core
