// SHA-256 (OpenSSL libcrypto) as lowercase hex: how API keys are stored in the keys file and how
// NIKs appear in the audit log.
#pragma once

#include <string>
#include <string_view>

namespace padan {

// 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

}  // namespace padan
