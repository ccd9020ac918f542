#include "data/json_string.h"

#include <cstdint>
#include <cstring>

#include "data/utf8.h"

namespace padan {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 when it is ill-formed.
size_t ValidSequenceLength(std::string_view text, size_t i) {
  unsigned char lead = static_cast<unsigned char>(text[i]);
  size_t length = lead < 0xC2 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF5 ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  return IsValidUtf8(text.substr(i, length)) ? length : 0;
}

// ASCII that JSON takes as it is.
bool IsPlain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

constexpr uint64_t kEachByte = 0x0101010101010101;
constexpr uint64_t kHighBits = 0x8080808080808080;

// Whether any byte of `word` is zero (exact: the borrow into a byte's high bit is only wrong
// above a zero byte, which then flags the word anyway).
constexpr bool HasZeroByte(uint64_t word) { return ((word - kEachByte) & ~word & kHighBits) != 0; }

// Whether none of the 8 bytes in `word` needs escaping: each is ASCII (high bit clear), not a
// control character (no byte below 0x20: once bytes are known to be below 0x80, x - 0x20 borrows
// into the high bit exactly for those) and neither '"' nor '\\'.
constexpr bool IsPlainWord(uint64_t word) {
  if ((word & kHighBits) != 0) return false;
  if (((word - 0x20 * kEachByte) & kHighBits) != 0) return false;
  return !HasZeroByte(word ^ ('"' * kEachByte)) && !HasZeroByte(word ^ ('\\' * kEachByte));
}

template <typename T>
T Load(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

}  // namespace

// Names, addresses and ids nearly always are plain, and a response holds a hundred-odd of them.
// The last word overlaps the one before rather than being copied byte by byte into a padded
// word: that copy made the word's load wait on the bytes' stores (no store forwarding), and was
// most of this function's time.
bool IsPlainJsonText(std::string_view text) {
  const char* data = text.data();
  const size_t size = text.size();
  if (size >= 8) {
    for (size_t i = 0; i + 8 < size; i += 8) {
      if (!IsPlainWord(Load<uint64_t>(data + i))) return false;
    }
    return IsPlainWord(Load<uint64_t>(data + size - 8));
  }
  if (size >= 4) {
    const uint64_t word = Load<uint32_t>(data) | uint64_t{Load<uint32_t>(data + size - 4)} << 32;
    return IsPlainWord(word);
  }
  if (size == 0) return true;
  // One to three bytes: the first, the middle and the last, over a plain padding.
  const uint64_t word = (' ' * kEachByte & ~uint64_t{0xFFFFFF}) |
                        uint64_t{static_cast<unsigned char>(data[0])} |
                        uint64_t{static_cast<unsigned char>(data[size / 2])} << 8 |
                        uint64_t{static_cast<unsigned char>(data[size - 1])} << 16;
  return IsPlainWord(word);
}

void AppendJsonString(std::string_view text, std::string* out) {
  if (IsPlainJsonText(text)) {
    // One growth of the buffer and one copy instead of three appends.
    const size_t at = out->size();
    out->resize(at + text.size() + 2);
    char* quoted = out->data() + at;
    quoted[0] = '"';
    if (!text.empty()) std::memcpy(quoted + 1, text.data(), text.size());
    quoted[text.size() + 1] = '"';
    return;
  }
  out->push_back('"');
  for (size_t i = 0; i < text.size();) {
    // Most text needs no escape: copy each run of it at once.
    size_t plain = i;
    while (plain < text.size() && IsPlain(static_cast<unsigned char>(text[plain]))) ++plain;
    if (plain > i) {
      out->append(text.data() + i, plain - i);
      i = plain;
      if (i == text.size()) break;
    }
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t length = ValidSequenceLength(text, i);
      if (length == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        ++i;
      } else {
        out->append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHexDigits[c >> 4]);
          out->push_back(kHexDigits[c & 0xF]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

std::string JsonString(std::string_view text) {
  std::string out;
  AppendJsonString(text, &out);
  return out;
}

}  // namespace padan
