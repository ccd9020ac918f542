#include "data/generator/old_spelling.h"

namespace padan::gen {
namespace {

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

}  // namespace

std::string ToOldSpelling(std::string_view token, uint8_t rules) {
  const bool consonants = (rules & kOldSpellingConsonants) != 0;
  const bool vowels = (rules & kOldSpellingVowels) != 0;
  std::string out;
  out.reserve(token.size() + 4);
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    char next = i + 1 < token.size() ? token[i + 1] : '\0';
    char prev = i > 0 ? token[i - 1] : '\0';
    if (consonants) {
      if (c == 'k' && next == 'h') {
        out += "ch";
        ++i;
        continue;
      }
      if ((c == 's' || c == 'n') && next == 'y') {
        out.push_back(c);
        out.push_back('j');
        ++i;
        continue;
      }
      if (c == 'c') {
        out += "tj";
        continue;
      }
      if (c == 'j') {
        out += "dj";
        continue;
      }
      // Only a consonantal y (before a vowel) was written j: Wahyudi -> Wahjudi, but Rizky
      // keeps its final y.
      if (c == 'y' && IsVowel(next)) {
        out.push_back('j');
        continue;
      }
    }
    if (vowels && c == 'u' && prev != 'a') {
      out += "oe";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string ToModernSpelling(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    char next = i + 1 < token.size() ? token[i + 1] : '\0';
    if (c == 'o' && next == 'e') {
      out.push_back('u');
      ++i;
    } else if (c == 'd' && next == 'j') {
      out.push_back('j');
      ++i;
    } else if (c == 't' && next == 'j') {
      out.push_back('c');
      ++i;
    } else if ((c == 's' || c == 'n') && next == 'j') {
      out.push_back(c);
      out.push_back('y');
      ++i;
    } else if (c == 'c' && next == 'h') {
      out += "kh";
      ++i;
    } else if (c == 'j') {
      out.push_back('y');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool HasOldSpellingMarkers(std::string_view token) {
  for (size_t i = 0; i + 1 < token.size(); ++i) {
    char c = token[i];
    char next = token[i + 1];
    if ((c == 'o' && next == 'e') ||
        (next == 'j' && (c == 'd' || c == 't' || c == 's' || c == 'n'))) {
      return true;
    }
  }
  return false;
}

}  // namespace padan::gen
