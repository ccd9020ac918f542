#include "server/sha256.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <memory>

namespace padan {
namespace {

// OpenSSL 3's one-shot SHA256() looks the algorithm up by name on every call (EVP_MD_fetch:
// a lock and a property query), which cost more than the hash itself for the short inputs
// here, once or twice per request. The algorithm is fetched once and each thread keeps a
// digest context.
const EVP_MD* Sha256Algorithm() {
  static const EVP_MD* md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) std::abort();  // libcrypto without SHA-256: nothing can work
    return fetched;
  }();
  return md;
}

struct ContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

EVP_MD_CTX* ThreadContext() {
  thread_local std::unique_ptr<EVP_MD_CTX, ContextDeleter> context(EVP_MD_CTX_new());
  return context.get();
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  EVP_MD_CTX* context = ThreadContext();
  unsigned int length = 0;
  if (context == nullptr || EVP_DigestInit_ex2(context, Sha256Algorithm(), nullptr) != 1 ||
      EVP_DigestUpdate(context, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(context, digest, &length) != 1 || length != SHA256_DIGEST_LENGTH) {
    std::abort();  // only on allocation failure inside libcrypto
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * SHA256_DIGEST_LENGTH, '0');
  for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return hex;
}

}  // namespace padan
