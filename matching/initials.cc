#include "matching/initials.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "matching/token_similarity.h"

namespace padan {
namespace {

// Token sets as bitmasks: bit j stands for token j of the name with more tokens.
using TokenMask = uint32_t;
static_assert(kMaxNameTokens <= 32, "TokenMask holds one bit per token");

// The bytes of the first code point of non-empty UTF-8 `token` (the whole token when it is
// shorter than its lead byte promises).
std::string_view FirstCodePoint(std::string_view token) {
  const auto lead = static_cast<unsigned char>(token.front());
  size_t length = 1;
  if (lead >= 0xF0) {
    length = 4;
  } else if (lead >= 0xE0) {
    length = 3;
  } else if (lead >= 0xC0) {
    length = 2;
  }
  return token.substr(0, std::min(length, token.size()));
}

bool IsInitial(std::string_view token) {
  const std::string_view letter = FirstCodePoint(token);
  if (letter == ".") return false;
  return token.size() == letter.size() ||
         (token.size() == letter.size() + 1 && token.back() == '.');
}

struct Token {
  std::string_view text;
  std::string_view letter;  // first code point
  bool initial = false;
};

// The non-empty tokens of a name, at most kMaxNameTokens.
size_t Classify(absl::Span<const std::string_view> tokens, std::array<Token, kMaxNameTokens>& out) {
  size_t n = 0;
  for (std::string_view text : tokens) {
    if (text.empty()) continue;
    if (n == kMaxNameTokens) break;
    out[n++] = Token{text, FirstCodePoint(text), IsInitial(text)};
  }
  return n;
}

bool Compatible(const Token& x, const Token& y) {
  if (x.initial || y.initial) return x.letter == y.letter;
  return x.text == y.text;
}

// Bipartite matching of the fewer tokens (left) into the other name's tokens (right) by Kuhn's
// augmenting paths, on adjacency bitmasks.
class TokenMatching {
 public:
  TokenMatching(const std::array<TokenMask, kMaxNameTokens>& adjacent, size_t left)
      : adjacent_(adjacent), left_(left) {}

  // True when every left token except `skip_left` can be paired with a distinct right token
  // outside `banned_right`.
  bool Saturates(size_t skip_left, TokenMask banned_right) {
    owner_.fill(kNone);
    for (size_t u = 0; u < left_; ++u) {
      if (u == skip_left) continue;
      TokenMask visited = banned_right;
      if (!Augment(u, visited)) return false;
    }
    return true;
  }

  static constexpr size_t kNone = kMaxNameTokens;

 private:
  // Finds a right token for `u`, moving earlier pairings along an alternating path if needed.
  bool Augment(size_t u, TokenMask& visited) {
    TokenMask candidates = adjacent_[u] & ~visited;
    while (candidates != 0) {
      const int v = std::countr_zero(candidates);
      candidates &= candidates - 1;
      visited |= TokenMask{1} << v;
      if (owner_[v] == kNone || Augment(owner_[v], visited)) {
        owner_[v] = u;
        return true;
      }
    }
    return false;
  }

  const std::array<TokenMask, kMaxNameTokens>& adjacent_;
  const size_t left_;
  std::array<size_t, kMaxNameTokens> owner_;  // the left token paired with each right token
};

}  // namespace

bool InitialsCompatible(absl::Span<const std::string_view> a,
                        absl::Span<const std::string_view> b) {
  std::array<Token, kMaxNameTokens> left_tokens;
  std::array<Token, kMaxNameTokens> right_tokens;
  size_t left = Classify(a, left_tokens);
  size_t right = Classify(b, right_tokens);
  if (left > right) {
    std::swap(left_tokens, right_tokens);
    std::swap(left, right);
  }
  if (left == 0) return false;

  std::array<TokenMask, kMaxNameTokens> adjacent{};
  TokenMask right_initials = 0;
  bool left_has_initial = false;
  for (size_t u = 0; u < left; ++u) {
    left_has_initial |= left_tokens[u].initial;
    for (size_t v = 0; v < right; ++v) {
      if (Compatible(left_tokens[u], right_tokens[v])) adjacent[u] |= TokenMask{1} << v;
    }
  }
  for (size_t v = 0; v < right; ++v) {
    if (right_tokens[v].initial) right_initials |= TokenMask{1} << v;
  }

  TokenMatching matching(adjacent, left);
  if (!matching.Saturates(TokenMatching::kNone, 0)) return false;
  // Every pair with a left initial involves an initial, and a left initial is always paired.
  if (left_has_initial) return true;
  // Otherwise an initial of the longer name must take part: try each pair with one, and ask
  // whether the remaining tokens can still all be paired.
  for (size_t u = 0; u < left; ++u) {
    TokenMask candidates = adjacent[u] & right_initials;
    while (candidates != 0) {
      const int v = std::countr_zero(candidates);
      candidates &= candidates - 1;
      if (matching.Saturates(u, TokenMask{1} << v)) return true;
    }
  }
  return false;
}

}  // namespace padan
