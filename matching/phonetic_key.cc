#include "matching/phonetic_key.h"

namespace padan {
namespace {

bool IsVowelLetter(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }

// Folds old spellings and lower-cases: the result holds the same sounds as modern spelling.
void FoldSpelling(std::string_view token, std::string* out) {
  out->clear();
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    char next = i + 1 < token.size() ? token[i + 1] : '\0';
    if (next >= 'A' && next <= 'Z') next = static_cast<char>(next - 'A' + 'a');
    if (c == 'o' && next == 'e') {  // oe → u
      out->push_back('u');
      ++i;
    } else if ((c == 'd' || c == 't' || c == 's' || c == 'n') && next == 'j') {
      // dj → j, tj → c, sj → sy, nj → ny
      if (c == 'd') out->push_back('j');
      if (c == 't') out->push_back('c');
      if (c == 's') out->append("sy");
      if (c == 'n') out->append("ny");
      ++i;
    } else if (c == 'c' && next == 'h') {  // ch → kh
      out->append("kh");
      ++i;
    } else {
      out->push_back(c);
    }
  }
}

}  // namespace

void AppendPhoneticKey(std::string_view token, std::string* out) {
  std::string folded;
  FoldSpelling(token, &folded);
  std::string& key = *out;
  key.clear();
  const size_t n = folded.size();
  auto push = [&key](char symbol) {
    if (key.empty() || key.back() != symbol) key.push_back(symbol);
  };
  // The j sound absorbs a t, d, n or s said with it. Old spelling wrote c and t+y alike as tj,
  // j and d+y as dj, ny and (modern) n+j as nj, sy and s+dy as sj, so once rule 1 has folded
  // tj, dj, nj, sj the modern spellings must meet the folded ones: Prasetyo = Prasetjo
  // (praseco), Nadya = Nadja (naja), Anindya = Anindja (aninya), Rusdyanto = Roesdjanto
  // (rusyanto), Panji = Pandji.
  auto push_j = [&key, &push]() {
    char symbol = 'J';
    if (!key.empty() && key.back() == 'T') {
      key.pop_back();
      symbol = 'C';
    } else {
      if (!key.empty() && key.back() == 'D') key.pop_back();
      if (!key.empty() && key.back() == 'N') {
        key.pop_back();
        symbol = 'Q';
      } else if (!key.empty() && key.back() == 'S') {
        return;  // sy is one sound, S
      }
    }
    push(symbol);
  };
  for (size_t i = 0; i < n; ++i) {
    char c = folded[i];
    char next = i + 1 < n ? folded[i + 1] : '\0';
    if (!IsAsciiLower(c)) {
      key.push_back(c);
      continue;
    }
    // Digraphs that are one sound.
    if (c == 'k' && next == 'h') {
      // Arabic kh is written k at the start (Khadijah = Kadijah) and h inside a word
      // (Akhmad = Ahmad, Rakhmat = Rahmat).
      push(i == 0 ? 'K' : 'H');
      ++i;
      continue;
    }
    if (next == 'h' && (c == 'p' || c == 't' || c == 'd' || c == 'g')) {
      push(c == 'p' ? 'P' : c == 't' ? 'T' : c == 'd' ? 'D' : 'G');
      ++i;
      continue;
    }
    if (c == 's' && next == 'y') {
      push('S');
      ++i;
      continue;
    }
    if (c == 'n' && next == 'g') {
      push('N');
      ++i;
      continue;
    }
    if (c == 'n' && next == 'y') {
      push('Q');
      ++i;
      continue;
    }
    switch (c) {
      case 'a':
        push('A');
        break;
      case 'e':
      case 'i':
        push('I');
        break;
      case 'o':
      case 'u':
        push('U');
        break;
      case 'y': {
        bool after_consonant = i > 0 && !IsVowelLetter(folded[i - 1]);
        bool before_consonant_or_end = next == '\0' || !IsVowelLetter(next);
        if (after_consonant && before_consonant_or_end) {
          push('I');
        } else {
          push_j();
        }
        break;
      }
      case 'j':
      case 'z':
        push_j();
        break;
      case 'f':
      case 'p':
      case 'v':
        push('P');
        break;
      case 'b':
        push('B');
        break;
      case 'k':
      case 'q':
        push('K');
        break;
      case 'x':
        push('K');
        push('S');
        break;
      case 'g':
        push('G');
        break;
      case 'c':
        // A t written before c is the same sound (Adittya = Adittja, folded to aditca).
        if (!key.empty() && key.back() == 'T') key.pop_back();
        push('C');
        break;
      case 'd':
        push('D');
        break;
      case 't':
        push('T');
        break;
      case 's':
        push('S');
        break;
      case 'w':
        push('W');
        break;
      case 'h':
        if (next != '\0') push('H');  // final h is silent
        break;
      default:  // l, m, n, r
        push(static_cast<char>(c - 'a' + 'A'));
        break;
    }
  }
  if (!key.empty()) {
    char& last = key.back();
    if (last == 'B') last = 'P';
    if (last == 'D') last = 'T';
    if (last == 'G') last = 'K';
    // Devoicing may create a new double (…pb → …PP): collapse it.
    if (key.size() >= 2 && key[key.size() - 2] == key.back()) key.pop_back();
  }
}

std::string PhoneticKey(std::string_view token) {
  std::string key;
  AppendPhoneticKey(token, &key);
  return key;
}

}  // namespace padan
