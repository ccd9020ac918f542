#include "data/generator/corruptor.h"

#include <algorithm>
#include <array>
#include <vector>

#include "data/generator/old_spelling.h"

namespace padan::gen {
namespace {

std::vector<std::string> Tokens(std::string_view name) {
  std::vector<std::string> tokens;
  size_t start = 0;
  while (start < name.size()) {
    size_t end = name.find(' ', start);
    if (end == std::string_view::npos) end = name.size();
    if (end > start) tokens.emplace_back(name.substr(start, end - start));
    start = end + 1;
  }
  return tokens;
}

std::string Join(const std::vector<std::string>& tokens) {
  std::string out;
  for (const std::string& t : tokens) {
    if (t.empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out += t;
  }
  return out;
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// QWERTY neighbours of each lower-case letter: typists hit the key next to the right one.
std::string_view KeyNeighbours(char c) {
  static constexpr std::array<std::string_view, 26> kNeighbours = {
      "qwsz",   "vghn",  "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko",
      "huikmn", "jiolm", "kop",  "njk",    "bhjm", "iklp",   "ol",     "wa",     "edft",
      "awedxz", "rfgy",  "yhji", "cfgb",   "qase", "zsdc",   "tghu",   "asx",
  };
  if (c < 'a' || c > 'z') return "";
  return kNeighbours[static_cast<size_t>(c - 'a')];
}

// Letters that sound alike or that regional pronunciation swaps (Fatimah/Patimah in Sundanese,
// Rizky/Rizki, Ahmad/Ahmat, Zainal/Jainal).
char SoundAlike(char c, bool last, Rng& rng) {
  switch (c) {
    case 'i':
      return 'e';
    case 'e':
      return 'i';
    case 'u':
      return 'o';
    case 'o':
      return 'u';
    case 'f':
      return rng.Bernoulli(0.7) ? 'p' : 'v';
    case 'p':
      return 'f';
    case 'v':
      return 'f';
    case 'z':
      return rng.Bernoulli(0.6) ? 'j' : 's';
    case 'y':
      return last ? 'i' : 'j';
    case 'q':
      return 'k';
    case 'd':
      return last ? 't' : 0;
    case 't':
      return last ? 'd' : 0;
    case 'k':
      return last ? 'q' : 0;
    default:
      return 0;
  }
}

// A token to corrupt, longer ones more likely (more letters, more chances to slip), and only
// among tokens of at least `min_length` letters; -1 when none.
int PickToken(const std::vector<std::string>& tokens, size_t min_length, Rng& rng) {
  size_t total = 0;
  for (const std::string& t : tokens) total += t.size() >= min_length ? t.size() : 0;
  if (total == 0) return -1;
  size_t x = rng.Uniform(total);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].size() < min_length) continue;
    if (x < tokens[i].size()) return static_cast<int>(i);
    x -= tokens[i].size();
  }
  return -1;
}

// A position inside a token: officers rarely get the first letter wrong.
size_t PickPosition(size_t length, Rng& rng) {
  if (length <= 1 || rng.Bernoulli(0.08)) return rng.Uniform(length);
  return 1 + rng.Uniform(length - 1);
}

// Spellings of Muhammad in Indonesian registries with rough shares; "moch", "moh", "muh",
// "mhd" and "m" are written with a full stop.
constexpr std::array<std::string_view, 12> kMuhammad = {
    "muhammad", "muhamad", "mohammad", "mohamad", "mochammad", "mochamad",
    "moch",     "moh",     "muh",      "mhd",     "m",         "muhammat",
};
constexpr std::array<double, 12> kMuhammadWeights = {30, 12, 10, 6, 8, 4, 6, 8, 5, 2, 10, 1};

bool IsMuhammad(std::string_view token) {
  return std::find(kMuhammad.begin(), kMuhammad.end(), token) != kMuhammad.end();
}

// Arabic "sun letters" assimilate the l of al-/-ul: Abdul Rahman = Abdurrahman.
bool SunLetter(char c) {
  return c == 't' || c == 'd' || c == 'r' || c == 'z' || c == 's' || c == 'l' || c == 'n';
}

}  // namespace

bool TypoInsert(std::string* name, Rng& rng) {
  std::vector<std::string> tokens = Tokens(*name);
  int t = PickToken(tokens, 2, rng);
  if (t < 0) return false;
  std::string& token = tokens[t];
  double r = rng.UniformDouble();
  if (r < 0.5) {
    // A doubled letter: Nurul -> Nurrul, Rahmat -> Rahmmat.
    size_t pos = PickPosition(token.size(), rng);
    token.insert(pos, 1, token[pos]);
  } else if (r < 0.8) {
    size_t pos = PickPosition(token.size(), rng);
    std::string_view keys = KeyNeighbours(token[pos]);
    if (keys.empty()) return false;
    token.insert(pos + (rng.Bernoulli(0.5) ? 1 : 0), 1, keys[rng.Uniform(keys.size())]);
  } else {
    // An h after t, d, k, s or g before a vowel, as in Fathimah, Rohmat -> Rohhmat.
    std::vector<size_t> spots;
    for (size_t i = 0; i + 1 < token.size(); ++i) {
      char c = token[i];
      if ((c == 't' || c == 'd' || c == 'k' || c == 's' || c == 'g') && IsVowel(token[i + 1])) {
        spots.push_back(i + 1);
      }
    }
    if (spots.empty()) {
      size_t pos = PickPosition(token.size(), rng);
      token.insert(pos, 1, token[pos]);
    } else {
      token.insert(spots[rng.Uniform(spots.size())], 1, 'h');
    }
  }
  *name = Join(tokens);
  return true;
}

bool TypoDelete(std::string* name, Rng& rng) {
  std::vector<std::string> tokens = Tokens(*name);
  int t = PickToken(tokens, 3, rng);
  if (t < 0) return false;
  std::string& token = tokens[t];
  std::vector<size_t> doubled;
  std::vector<size_t> aitches;
  for (size_t i = 1; i < token.size(); ++i) {
    if (token[i] == token[i - 1]) doubled.push_back(i);
    if (token[i] == 'h') aitches.push_back(i);
  }
  double r = rng.UniformDouble();
  if (r < 0.5 && !doubled.empty()) {
    token.erase(doubled[rng.Uniform(doubled.size())], 1);  // Muhammad -> Muhamad
  } else if (r < 0.75 && !aitches.empty()) {
    token.erase(aitches[rng.Uniform(aitches.size())], 1);  // Fatimah -> Fatima
  } else {
    token.erase(PickPosition(token.size(), rng), 1);
  }
  *name = Join(tokens);
  return true;
}

bool TypoSubstitute(std::string* name, Rng& rng) {
  std::vector<std::string> tokens = Tokens(*name);
  int t = PickToken(tokens, 2, rng);
  if (t < 0) return false;
  std::string& token = tokens[t];
  // Try a sound-alike letter first; fall back to a neighbouring key.
  if (rng.Bernoulli(0.45)) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      size_t pos = PickPosition(token.size(), rng);
      char c = SoundAlike(token[pos], pos + 1 == token.size(), rng);
      if (c != 0 && c != token[pos]) {
        token[pos] = c;
        *name = Join(tokens);
        return true;
      }
    }
  }
  size_t pos = PickPosition(token.size(), rng);
  std::string_view keys = KeyNeighbours(token[pos]);
  if (keys.empty()) return false;
  token[pos] = keys[rng.Uniform(keys.size())];
  *name = Join(tokens);
  return true;
}

bool TypoTranspose(std::string* name, Rng& rng) {
  std::vector<std::string> tokens = Tokens(*name);
  int t = PickToken(tokens, 3, rng);
  if (t < 0) return false;
  std::string& token = tokens[t];
  std::vector<size_t> pairs;  // i such that token[i] != token[i+1]
  for (size_t i = 0; i + 1 < token.size(); ++i) {
    if (token[i] != token[i + 1]) pairs.push_back(i);
  }
  if (pairs.empty()) return false;
  // Prefer pairs past the first letter.
  size_t i = pairs[rng.Uniform(pairs.size())];
  if (i == 0 && pairs.size() > 1 && rng.Bernoulli(0.8))
    i = pairs[1 + rng.Uniform(pairs.size() - 1)];
  std::swap(token[i], token[i + 1]);
  *name = Join(tokens);
  return true;
}

bool OldSpelling(std::string* name, bool consonants_only, Rng& rng) {
  std::vector<std::string> tokens = Tokens(*name);
  // A token already in the old spelling is modernised.
  std::vector<size_t> old;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (HasOldSpellingMarkers(tokens[i])) old.push_back(i);
  }
  if (!old.empty()) {
    size_t i = old[rng.Uniform(old.size())];
    tokens[i] = ToModernSpelling(tokens[i]);
    *name = Join(tokens);
    return true;
  }
  // Otherwise one token is written the old way: the consonants (Djoko, Sjamsul, Tjahjo) or,
  // when they do not change it, the vowels (Soekarno).
  std::vector<std::pair<size_t, std::string>> options;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].size() < 3) continue;
    std::string converted = ToOldSpelling(tokens[i], kOldSpellingConsonants);
    if (converted == tokens[i] && !consonants_only) {
      converted = ToOldSpelling(tokens[i], kOldSpellingVowels);
    } else if (converted != tokens[i] && !consonants_only && rng.Bernoulli(0.3)) {
      converted = ToOldSpelling(tokens[i], kOldSpellingAll);
    }
    if (converted != tokens[i]) options.emplace_back(i, std::move(converted));
  }
  if (options.empty()) return false;
  auto& [i, converted] = options[rng.Uniform(options.size())];
  tokens[i] = std::move(converted);
  *name = Join(tokens);
  return true;
}

bool MuhammadVariant(std::string* name, Rng& rng) {
  std::vector<std::string> tokens = Tokens(*name);
  for (std::string& token : tokens) {
    if (!IsMuhammad(token)) continue;
    std::array<double, kMuhammad.size()> weights = kMuhammadWeights;
    for (size_t i = 0; i < kMuhammad.size(); ++i) {
      if (kMuhammad[i] == token) weights[i] = 0;
    }
    token = std::string(kMuhammad[rng.Weighted(weights)]);
    *name = Join(tokens);
    return true;
  }
  return false;
}

bool AbdulVariant(std::string* name, Rng& rng) {
  std::vector<std::string> tokens = Tokens(*name);
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string& token = tokens[i];
    if (token == "abd" || token == "abdoel") {
      token = "abdul";
      *name = Join(tokens);
      return true;
    }
    if (token == "abdul") {
      double r = rng.UniformDouble();
      if (i + 1 < tokens.size() && r < 0.45) {
        // Abdul Rahman -> Abdurrahman, Abdul Kadir -> Abdulkadir.
        const std::string& next = tokens[i + 1];
        token = SunLetter(next[0]) ? "abdu" + std::string(1, next[0]) + next : "abdul" + next;
        tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      } else {
        token = r < 0.8 ? "abd" : "abdoel";
      }
      *name = Join(tokens);
      return true;
    }
    // A merged form is split again: Abdurrahman -> Abdul Rahman.
    if (token.size() > 6 && token.substr(0, 4) == "abdu" && token != "abdullah") {
      std::string rest;
      if (token[4] == 'l') {
        rest = token.substr(5);
      } else if (token.size() > 6 && token[4] == token[5] && SunLetter(token[4])) {
        rest = token.substr(5);
      }
      if (rest.size() >= 3) {
        token = "abdul";
        tokens.insert(tokens.begin() + static_cast<std::ptrdiff_t>(i) + 1, rest);
        *name = Join(tokens);
        return true;
      }
    }
  }
  return false;
}

bool BinBinti(std::string* name, Sex sex, std::string_view father_given) {
  if (father_given.empty()) return false;
  for (const std::string& t : Tokens(*name)) {
    if (t == "bin" || t == "binti") return false;
  }
  name->append(sex == Sex::kPerempuan ? " binti " : " bin ");
  name->append(father_given);
  return true;
}

bool TokenDropped(std::string* name, Rng& rng) {
  std::vector<std::string> tokens = Tokens(*name);
  if (tokens.size() < 2) return false;
  // The middle and last tokens go missing more often than the first.
  size_t i = rng.Bernoulli(0.25) ? 0 : 1 + rng.Uniform(tokens.size() - 1);
  tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(i));
  // What is left must still be a name, not only initials ("S.").
  bool only_initials = true;
  for (const std::string& t : tokens) only_initials = only_initials && t.size() == 1;
  if (only_initials) return false;
  *name = Join(tokens);
  return true;
}

bool TokenInitial(std::string* name, Rng& rng) {
  std::vector<std::string> tokens = Tokens(*name);
  if (tokens.size() < 2) return false;
  std::vector<size_t> candidates;
  // Never the last token: "Siti N. Aisyah" and "M. Rizki" are written, "Rizki M." is not.
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i].size() > 1) candidates.push_back(i);
  }
  if (candidates.empty()) return false;
  size_t i = rng.Bernoulli(0.6) ? candidates[0] : candidates[rng.Uniform(candidates.size())];
  tokens[i].resize(1);
  *name = Join(tokens);
  return true;
}

bool TokensSwapped(std::string* name, Rng& rng) {
  std::vector<std::string> tokens = Tokens(*name);
  if (tokens.size() < 2) return false;
  size_t i = rng.Uniform(tokens.size() - 1);
  if (tokens[i] == tokens[i + 1]) return false;
  std::swap(tokens[i], tokens[i + 1]);
  *name = Join(tokens);
  return true;
}

bool DobDayMonthSwap(int32_t* birth_days) {
  int y = 0, m = 0, d = 0;
  CivilFromDays(*birth_days, &y, &m, &d);
  if (d > 12 || d == m) return false;
  *birth_days = DaysFromCivil(y, d, m);
  return true;
}

bool DobYearOffByOne(int32_t* birth_days, Rng& rng) {
  int y = 0, m = 0, d = 0;
  CivilFromDays(*birth_days, &y, &m, &d);
  int year = y + (rng.Bernoulli(0.5) ? 1 : -1);
  // A later year must stay before the snapshot.
  if (DaysFromCivil(year, m, std::min(d, DaysInMonth(year, m))) > SnapshotDays()) year = y - 1;
  *birth_days = DaysFromCivil(year, m, std::min(d, DaysInMonth(year, m)));
  return true;
}

bool NikOneDigit(std::string* nik, Rng& rng) {
  if (nik->empty()) return false;
  size_t pos = rng.Uniform(nik->size());
  char& c = (*nik)[pos];
  if (c < '0' || c > '9') return false;
  c = static_cast<char>('0' + (c - '0' + 1 + static_cast<int>(rng.Uniform(9))) % 10);
  return true;
}

bool NikTransposed(std::string* nik, Rng& rng) {
  std::vector<size_t> pairs;
  for (size_t i = 0; i + 1 < nik->size(); ++i) {
    if ((*nik)[i] != (*nik)[i + 1]) pairs.push_back(i);
  }
  if (pairs.empty()) return false;
  size_t i = pairs[rng.Uniform(pairs.size())];
  std::swap((*nik)[i], (*nik)[i + 1]);
  return true;
}

bool NikDropDigit(std::string* nik, Rng& rng) {
  if (nik->size() < 2) return false;
  nik->erase(1 + rng.Uniform(nik->size() - 1), 1);
  return true;
}

Corruptor::Corruptor(const NameGenerator& names, const TitleTable& titles)
    : names_(names), titles_(titles) {}

std::string Corruptor::FatherGiven(const GenPerson& person, const GenHousehold& household,
                                   Rng& rng) const {
  std::string_view father_name;
  if (person.father >= 0 && static_cast<size_t>(person.father) < household.members.size()) {
    father_name = household.members[person.father].nama;
  }
  if (!father_name.empty()) {
    // The given part of the father's name: its first token, or two for Islamic compounds.
    std::vector<std::string> tokens = Tokens(father_name);
    bool compound = tokens.size() > 1 &&
                    (IsMuhammad(tokens[0]) || tokens[0] == "abdul" || tokens[0] == "ahmad");
    return compound ? tokens[0] + " " + tokens[1] : tokens[0];
  }
  int year = 0, month = 0, day = 0;
  CivilFromDays(person.birth_days, &year, &month, &day);
  return names_.GivenName(person.custom, Sex::kLakiLaki, year - 28, rng);
}

// Relative frequencies of the corruptions in duplicate registrations, the editor's estimates
// from how registry duplicates differ: typos and dropped or shortened tokens dominate; NIK and
// date slips are common; old spelling concerns older people.
double Corruptor::Weight(Corruption c, const GenPerson& p) const {
  int year = 0, month = 0, day = 0;
  CivilFromDays(p.birth_days, &year, &month, &day);
  const Religion religion = ReligionOfCustom(p.custom);
  switch (c) {
    case Corruption::kTypoInsert:
      return 6;
    case Corruption::kTypoDelete:
      return 8;
    case Corruption::kTypoSubstitute:
      return 12;
    case Corruption::kTypoTranspose:
      return 5;
    case Corruption::kOldSpelling:
      if (p.custom == NameCustom::kPapua || p.custom == NameCustom::kMaluku) return 0;
      return year < 1972 ? 9 : year < 1990 ? 3 : 0.6;
    case Corruption::kMuhammadVariant:
      return 25;  // zeroed for names without it
    case Corruption::kAbdulVariant:
      return 20;  // zeroed for names without it
    case Corruption::kTitleAdded:
      return p.title == 0 ? 2.5 : 0;
    case Corruption::kTitleDropped:
      return p.title != 0 ? 30 : 0;
    case Corruption::kBinBinti:
      if (p.custom == NameCustom::kIslam) return 5;
      return religion == Religion::kIslam ? 1 : 0;
    case Corruption::kTokenDropped:
      return 8;
    case Corruption::kTokenInitial:
      return 6;
    case Corruption::kTokensSwapped:
      return 3;
    case Corruption::kDobDayMonthSwap:
      return 5;
    case Corruption::kDobYearOffByOne:
      return 6;
    case Corruption::kNikOneDigit:
      return 6;
    case Corruption::kNikTransposed:
      return 4;
    case Corruption::kNikMissing:
      return 6;
    case Corruption::kNikShort:
    case Corruption::kMovedDesa:
    case Corruption::kNoKkMissing:
      return 0;
  }
  return 0;
}

bool Corruptor::Apply(Corruption c, GenPerson* p, const GenHousehold& household, Rng& rng) const {
  std::string* name = &p->nama;
  switch (c) {
    case Corruption::kTypoInsert:
      return TypoInsert(name, rng);
    case Corruption::kTypoDelete:
      return TypoDelete(name, rng);
    case Corruption::kTypoSubstitute:
      return TypoSubstitute(name, rng);
    case Corruption::kTypoTranspose:
      return TypoTranspose(name, rng);
    case Corruption::kOldSpelling:
      return OldSpelling(name, ReligionOfCustom(p->custom) == Religion::kKristen, rng);
    case Corruption::kMuhammadVariant:
      return MuhammadVariant(name, rng);
    case Corruption::kAbdulVariant:
      return AbdulVariant(name, rng);
    case Corruption::kTitleAdded: {
      if (p->title != 0) return false;
      int year = 0, month = 0, day = 0;
      CivilFromDays(p->birth_days, &year, &month, &day);
      p->title = titles_.Draw(p->sex, kSnapshotYear - year, ReligionOfCustom(p->custom), rng);
      return p->title != 0;
    }
    case Corruption::kTitleDropped:
      if (p->title == 0) return false;
      p->title = 0;
      return true;
    case Corruption::kBinBinti:
      return BinBinti(name, p->sex, FatherGiven(*p, household, rng));
    case Corruption::kTokenDropped:
      return TokenDropped(name, rng);
    case Corruption::kTokenInitial:
      return TokenInitial(name, rng);
    case Corruption::kTokensSwapped:
      return TokensSwapped(name, rng);
    case Corruption::kDobDayMonthSwap:
      return DobDayMonthSwap(&p->birth_days);
    case Corruption::kDobYearOffByOne:
      return DobYearOffByOne(&p->birth_days, rng);
    case Corruption::kNikOneDigit:
    case Corruption::kNikTransposed:
    case Corruption::kNikMissing:
      // Applied to the NIK text at commit; a NIK the original lacks cannot be corrupted.
      return !Has(p->corruptions, Corruption::kNikMissing) &&
             !Has(p->corruptions, Corruption::kNikShort);
    case Corruption::kNikShort:
    case Corruption::kMovedDesa:
    case Corruption::kNoKkMissing:
      return false;
  }
  return false;
}

void Corruptor::CorruptPerson(GenPerson* dup, const GenHousehold& household, Rng& rng) const {
  // The original's own data-quality problems stay with the copy's NIK: a duplicate of a
  // person registered without NIK has none either.
  const CorruptionSet inherited =
      dup->corruptions & (Bit(Corruption::kNikMissing) | Bit(Corruption::kNikShort));
  dup->corruptions = inherited;
  if (rng.Bernoulli(kExactCopyShare)) return;
  double r = rng.UniformDouble();
  int wanted = r < 0.55 ? 1 : r < 0.85 ? 2 : 3;
  std::array<double, kCorruptionCount> weights{};
  for (int i = 0; i < kCorruptionCount; ++i) weights[i] = Weight(static_cast<Corruption>(i), *dup);
  // Muhammad and Abdul variants only where the name has them, so the draw does not waste them.
  if (dup->nama.find("muh") == std::string::npos && dup->nama.find("moh") == std::string::npos &&
      dup->nama.find("moch") == std::string::npos && dup->nama.rfind("m ", 0) != 0) {
    weights[static_cast<int>(Corruption::kMuhammadVariant)] = 0;
  }
  if (dup->nama.find("abd") == std::string::npos) {
    weights[static_cast<int>(Corruption::kAbdulVariant)] = 0;
  }
  if (inherited != 0) {
    for (Corruption c :
         {Corruption::kNikOneDigit, Corruption::kNikTransposed, Corruption::kNikMissing}) {
      weights[static_cast<int>(c)] = 0;
    }
  }
  int applied = 0;
  for (int attempt = 0; applied < wanted && attempt < 8; ++attempt) {
    double total = 0;
    for (double w : weights) total += w;
    if (total <= 0) break;
    Corruption c = static_cast<Corruption>(rng.Weighted(weights));
    weights[static_cast<int>(c)] = 0;
    if (!Apply(c, dup, household, rng)) continue;
    dup->corruptions |= Bit(c);
    ++applied;
    // One NIK slip per record; the title is either added or dropped.
    if (c == Corruption::kNikOneDigit || c == Corruption::kNikTransposed ||
        c == Corruption::kNikMissing) {
      for (Corruption other :
           {Corruption::kNikOneDigit, Corruption::kNikTransposed, Corruption::kNikMissing}) {
        weights[static_cast<int>(other)] = 0;
      }
    }
    if (c == Corruption::kTitleAdded || c == Corruption::kTitleDropped) {
      weights[static_cast<int>(Corruption::kTitleAdded)] = 0;
      weights[static_cast<int>(Corruption::kTitleDropped)] = 0;
    }
  }
}

void Corruptor::ApplyNikCorruption(CorruptionSet set, std::string* nik, Rng& rng) {
  if (Has(set, Corruption::kNikMissing)) {
    nik->clear();
  } else if (Has(set, Corruption::kNikShort)) {
    NikDropDigit(nik, rng);
  } else if (Has(set, Corruption::kNikOneDigit)) {
    NikOneDigit(nik, rng);
  } else if (Has(set, Corruption::kNikTransposed)) {
    NikTransposed(nik, rng);
  }
}

}  // namespace padan::gen
