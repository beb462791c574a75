// SHA-256 (FIPS 180-4) over bytes in memory, for recording which profile files a run used.
// Written here rather than linked (libcrypto) so station_core keeps no library dependency; it
// is checked against the NIST test vectors (tests/unit/core/sha256_test.cpp).
#pragma once

#include <string>
#include <string_view>

namespace station::core {

// The digest of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace station::core
