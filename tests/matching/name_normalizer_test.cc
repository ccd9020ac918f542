#include "matching/name_normalizer.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/embedded_files.h"
#include "data/generator/generator.h"
#include "data/generator/siks_ng_writer.h"
#include "data/internal/reference_csv.h"
#include "data/utf8.h"
#include "matching/phonetic_key.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const NameNormalizer& Normalizer() {
  static const NameNormalizer* normalizer = [] {
    absl::StatusOr<std::unique_ptr<NameNormalizer>> n = NameNormalizer::LoadEmbedded();
    EXPECT_THAT(n, IsOk());
    return n.ok() ? n->release() : nullptr;
  }();
  return *normalizer;
}

std::string Canonical(std::string_view raw) { return Normalizer().Normalize(raw).canonical; }

std::vector<std::string> Titles(std::string_view raw) { return Normalizer().Normalize(raw).titles; }

// The low-information tokens of a normalised name, in order.
std::vector<std::string> LowInformation(const NormalizedName& name) {
  std::vector<std::string> out;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name.is_low_information(i)) out.push_back(name.tokens[i]);
  }
  return out;
}
std::vector<std::string> LowInformation(std::string_view raw) {
  return LowInformation(Normalizer().Normalize(raw));
}

// --- Unicode, case and punctuation ---------------------------------------------------------------

TEST(NameNormalizerTest, LowerCasesAndJoinsTokensWithSingleSpaces) {
  const NormalizedName n = Normalizer().Normalize("SITI AMINAH");
  EXPECT_THAT(n.tokens, ElementsAre("siti", "aminah"));
  EXPECT_EQ(n.canonical, "siti aminah");
}

TEST(NameNormalizerTest, StripsDiacritics) {
  EXPECT_EQ(Canonical("José Rizal"), "jose rizal");
  EXPECT_EQ(Canonical("JOSÉ RIZAL"), "jose rizal");
  EXPECT_EQ(Canonical("Jose\u0301 Rizal"), "jose rizal");  // combining acute accent
}

TEST(NameNormalizerTest, AppliesNfkcToFullWidthLetters) {
  EXPECT_EQ(Canonical("ＳＩＴＩ　ＡＭＩＮＡＨ"), "siti aminah");
}

TEST(NameNormalizerTest, TreatsTabsNbspAndRunsOfSpacesAsOneBoundary) {
  EXPECT_EQ(Canonical("  Siti \t\t Aminah\u00a0Rahayu  "), "siti aminah rahayu");
  EXPECT_EQ(Canonical("Siti\r\nAminah"), "siti aminah");
}

TEST(NameNormalizerTest, RemovesApostrophesInsideWords) {
  EXPECT_EQ(Canonical("Ma'ruf Amin"), "maruf amin");
  EXPECT_EQ(Canonical("Nu\u2019man"), "numan");  // right single quotation mark
  EXPECT_EQ(Canonical("Ma\u00b4ruf"), "maruf");  // acute accent typed as an apostrophe
  EXPECT_EQ(Canonical("Sa\u02bfid"), "said");    // transliterated ain
  EXPECT_EQ(Canonical("Jum`at"), "jumat");
}

TEST(NameNormalizerTest, SplitsOnDotsCommasHyphensSlashesAndParentheses) {
  EXPECT_EQ(Canonical("Abd.Rahman"), "abdul rahman");
  EXPECT_EQ(Canonical("Siti-Aminah"), "siti aminah");
  EXPECT_EQ(Canonical("Siti/Aminah"), "siti aminah");
  EXPECT_EQ(Canonical("Siti (Aminah)"), "siti aminah");
  EXPECT_EQ(Canonical("Siti,Aminah"), "siti aminah");
  EXPECT_EQ(Canonical("\"Siti\" Aminah!"), "siti aminah");
}

TEST(NameNormalizerTest, DropsDigits) {
  EXPECT_EQ(Canonical("1. Siti Aminah"), "siti aminah");
  EXPECT_EQ(Canonical("Siti Aminah 2"), "siti aminah");
  EXPECT_EQ(Canonical("Sit1i"), "siti");
}

// --- Old spelling --------------------------------------------------------------------------------

TEST(NameNormalizerTest, FoldsOldSpellingOeToU) { EXPECT_EQ(Canonical("Soekarno"), "sukarno"); }
TEST(NameNormalizerTest, FoldsOldSpellingDjToJ) { EXPECT_EQ(Canonical("Djoko"), "joko"); }
TEST(NameNormalizerTest, FoldsOldSpellingTjToC) { EXPECT_EQ(Canonical("Tjahjo"), "cahjo"); }
TEST(NameNormalizerTest, FoldsOldSpellingSjToSy) { EXPECT_EQ(Canonical("Sjahrir"), "syahrir"); }
TEST(NameNormalizerTest, FoldsOldSpellingNjToNy) { EXPECT_EQ(Canonical("Njoman"), "nyoman"); }
TEST(NameNormalizerTest, FoldsOldSpellingChToKh) { EXPECT_EQ(Canonical("Achmad"), "akhmad"); }

TEST(NameNormalizerTest, FoldsOldSpellingToAFixedPoint) {
  // dj→j leaves nj, which folds again: the old and the modern spelling of Panji meet, and the
  // canonical form never holds an old spelling.
  EXPECT_EQ(Canonical("Pandji"), Canonical("Panji"));
  EXPECT_EQ(Canonical("Panji"), "panyi");
  EXPECT_EQ(Canonical("Tjhin"), "khin");  // tj→c, then ch→kh
}

TEST(NameNormalizerTest, RecognisesTitlesAndAbbreviationsInOldSpelling) {
  EXPECT_THAT(Titles("Hadji Achmad"), ElementsAre("haji"));
  EXPECT_EQ(Canonical("Moechamad Toha"), "muhammad toha");
  EXPECT_EQ(Canonical("Abdoel Moeis"), "abdul muis");
}

TEST(NameNormalizerTest, PhoneticKeysJoinOldAndModernSpellings) {
  for (const auto& [modern, old] : std::vector<std::pair<std::string, std::string>>{
           {"Prasetyo", "Prasetjo"},
           {"Nadya", "Nadja"},
           {"Anindya", "Anindja"},
           {"Rusdyanto", "Roesdjanto"},
           {"Panji", "Pandji"},
           {"Cahyo", "Tjahjo"},
           {"Yusuf", "Jusuf"},
           {"Syamsul", "Sjamsoel"},
           {"Ahmad", "Achmad"},
       }) {
    EXPECT_EQ(Normalizer().Normalize(modern).phonetic_keys,
              Normalizer().Normalize(old).phonetic_keys)
        << modern << " vs " << old;
  }
}

// --- Titles and degrees --------------------------------------------------------------------------

TEST(NameNormalizerTest, StripsPrefixTitlesWithAndWithoutDots) {
  for (const char* raw :
       {"H. Ahmad", "H Ahmad", "Hj. Ahmad", "HJ Ahmad", "Hajjah Ahmad", "KH Ahmad", "K.H. Ahmad",
        "Drs. Ahmad", "Dra Ahmad", "Ir. Ahmad", "Dr. Ahmad", "dr Ahmad", "Prof. Ahmad",
        "Ustadz Ahmad", "Bapak Ahmad", "Ny. Ahmad", "AKBP Ahmad", "Kapten Ahmad"}) {
    const NormalizedName n = Normalizer().Normalize(raw);
    EXPECT_EQ(n.canonical, "ahmad") << raw;
    EXPECT_TRUE(n.has_title()) << raw;
  }
}

TEST(NameNormalizerTest, StripsSuffixDegreesWithAndWithoutDots) {
  for (const char* raw :
       {"Ahmad, S.Pd.", "Ahmad S.Pd", "Ahmad SPd", "Ahmad, S.H.", "Ahmad SH", "Ahmad, S.E.",
        "Ahmad, S.Kom.", "Ahmad, M.Si.", "Ahmad, A.Md.", "Ahmad, Amd.Keb.", "Ahmad, A.Md.Keb.",
        "Ahmad, S.Kep.", "Ahmad, S.Pd.I.", "Ahmad, S.Sos", "Ahmad, S.T.", "Ahmad ST",
        "Ahmad, Sp.KG", "Ahmad, M.Kes."}) {
    const NormalizedName n = Normalizer().Normalize(raw);
    EXPECT_EQ(n.canonical, "ahmad") << raw;
    EXPECT_TRUE(n.has_title()) << raw;
  }
}

TEST(NameNormalizerTest, PrefersTheLongestTitle) {
  EXPECT_THAT(Titles("Nurul Hidayah, S.Pd.I."), ElementsAre("s pd i"));
  EXPECT_THAT(Titles("Prof. Dr. Ahmad"), ElementsAre("prof dr"));
}

TEST(NameNormalizerTest, StripsDegreesRepeatedlyFromTheEnd) {
  const NormalizedName n = Normalizer().Normalize("Ahmad, S.Pd., M.Pd.");
  EXPECT_EQ(n.canonical, "ahmad");
  EXPECT_THAT(n.titles, ElementsAre("s pd", "m pd"));  // written order
}

TEST(NameNormalizerTest, StripsTitlesFromBothEndsInWrittenOrder) {
  const NormalizedName n = Normalizer().Normalize("Drs. H. Moch. Sjamsul Arifin, M.Si.");
  EXPECT_EQ(n.canonical, "muhammad syamsul arifin");
  EXPECT_THAT(n.titles, ElementsAre("drs", "h", "m si"));
}

TEST(NameNormalizerTest, NeverStripsTheLastToken) {
  EXPECT_EQ(Canonical("Haji"), "haji");
  EXPECT_EQ(Canonical("H."), "h");
  EXPECT_EQ(Canonical("S.E."), "s e");
  EXPECT_EQ(Canonical("Hj. Haji"), "haji");
  EXPECT_FALSE(Normalizer().Normalize("Haji").has_title());
}

TEST(NameNormalizerTest, SingleLetterHIsATitleOnlyAsTheFirstToken) {
  EXPECT_EQ(Canonical("H. Agus Salim"), "agus salim");
  EXPECT_EQ(Canonical("Siti H."), "siti h");
  EXPECT_EQ(Canonical("Agus H. Salim"), "agus h salim");
}

TEST(NameNormalizerTest, ReplacingTitleLeavesItsReplacement) {
  const NormalizedName n = Normalizer().Normalize("H.M. Soeharto");
  EXPECT_EQ(n.canonical, "muhammad suharto");
  EXPECT_THAT(n.titles, ElementsAre("h m"));
  EXPECT_EQ(Canonical("HM Soeharto"), "muhammad suharto");
}

TEST(NameNormalizerTest, MarksDeceasedFromAlmarhum) {
  for (const char* raw : {"Sutrisno (Alm)", "Alm. Sutrisno", "Almarhum Sutrisno", "Sutrisno Almh.",
                          "Mendiang Sutrisno"}) {
    const NormalizedName n = Normalizer().Normalize(raw);
    EXPECT_EQ(n.canonical, "sutrisno") << raw;
    EXPECT_TRUE(n.deceased_marker) << raw;
  }
  EXPECT_FALSE(Normalizer().Normalize("Sutrisno").deceased_marker);
  // After bin, "alm." is the father's.
  EXPECT_FALSE(Normalizer().Normalize("Hasan bin Abdullah (Alm)").deceased_marker);
}

TEST(NameNormalizerTest, IgnoresCompanyRoleAndInstitutionRows) {
  EXPECT_EQ(Canonical("Janda Siti"), "janda siti");
  EXPECT_EQ(Canonical("Istri Budi"), "istri budi");
  EXPECT_EQ(Canonical("Budi Yayasan"), "budi yayasan");
}

// --- Expansions ----------------------------------------------------------------------------------

TEST(NameNormalizerTest, ExpandsTheMuhammadFamily) {
  for (const char* raw :
       {"Muhammad Ali", "Muhamad Ali", "Mohammad Ali", "Mohamad Ali", "Mochammad Ali",
        "Mochamad Ali", "Moch. Ali", "Moh. Ali", "Muh. Ali", "Muh Ali", "Mhd. Ali", "M. Ali",
        "Moehammad Ali", "Muhammat Ali", "Mohd Ali", "HM Ali"}) {
    EXPECT_EQ(Canonical(raw), "muhammad ali") << raw;
  }
}

TEST(NameNormalizerTest, ExpandsLeadingMOnlyBeforeAnotherToken) {
  EXPECT_EQ(Canonical("M. Rizki"), "muhammad rizki");
  EXPECT_EQ(Canonical("Rizki M."), "rizki m");
  EXPECT_EQ(Canonical("Agus M. Nur"), "agus m nur");
  EXPECT_EQ(Canonical("M."), "m");
  EXPECT_EQ(Canonical("H. M. Yusuf"), "muhammad yusuf");
}

TEST(NameNormalizerTest, ExpandsAbdulAbbreviations) {
  EXPECT_EQ(Canonical("Abd. Rahman"), "abdul rahman");
  EXPECT_EQ(Canonical("Abdl Rahman"), "abdul rahman");
  EXPECT_EQ(Canonical("Abdoel Rahman"), "abdul rahman");
}

TEST(NameNormalizerTest, SplitsAbdulCompounds) {
  EXPECT_EQ(Canonical("Abdurrahman Wahid"), "abdul rahman wahid");
  EXPECT_EQ(Canonical("Abdurahman Wahid"), "abdul rahman wahid");
  EXPECT_EQ(Canonical("Abdulhamid"), "abdul hamid");
  EXPECT_EQ(Canonical("Abdullatif"), "abdul latif");
  EXPECT_EQ(Canonical("Abdussalam"), "abdul salam");
  EXPECT_EQ(Canonical("Abdulmoch"), "abdul muhammad");
  EXPECT_EQ(Canonical("Abdulabdulrahman"), "abdul abdul rahman");  // a fixed point at once
  EXPECT_EQ(Canonical("Ahmad Abdulspd"), "ahmad abdulspd");        // "spd" would be a degree
  // Compounds with Allah are one name.
  EXPECT_EQ(Canonical("Abdullah"), "abdullah");
  EXPECT_EQ(Canonical("Abdulloh"), "abdulloh");
  EXPECT_EQ(Canonical("Abdulah"), "abdulah");
  EXPECT_EQ(Canonical("Abduh"), "abduh");
}

TEST(NameNormalizerTest, ExpandsStToSitiOnlyAsTheFirstToken) {
  EXPECT_EQ(Canonical("ST. Nurhaliza"), "siti nurhaliza");
  EXPECT_EQ(Canonical("Budi Santoso ST"), "budi santoso");  // S.T., a degree
  EXPECT_EQ(Canonical("St."), "st");
}

TEST(NameNormalizerTest, KeepsOtherInitials) {
  EXPECT_EQ(Canonical("A. Rahman"), "a rahman");
  EXPECT_EQ(Canonical("Siti N. Aisyah"), "siti n aisyah");
}

TEST(NameNormalizerTest, ExpandsBalineseAbbreviations) {
  EXPECT_EQ(Canonical("I Wyn. Sudirta"), "i wayan sudirta");
  EXPECT_EQ(Canonical("Ni Md. Ayu"), "ni made ayu");
  EXPECT_EQ(Canonical("I Kt. Arsana"), "i ketut arsana");
  EXPECT_EQ(Canonical("I Gst. Ngr. Rai"), "i gusti ngurah rai");
}

// --- Patronymic ----------------------------------------------------------------------------------

TEST(NameNormalizerTest, SplitsThePatronymicAfterBinOrBinti) {
  for (const char* raw : {"Siti Aminah binti Ahmad", "Siti Aminah Bt. Ahmad",
                          "Siti Aminah BTE Ahmad", "Siti Aminah bint Ahmad"}) {
    const NormalizedName n = Normalizer().Normalize(raw);
    EXPECT_EQ(n.canonical, "siti aminah") << raw;
    EXPECT_THAT(n.patronymic, ElementsAre("ahmad")) << raw;
  }
  EXPECT_THAT(Normalizer().Normalize("Ahmad bin Moch. Ali").patronymic,
              ElementsAre("muhammad", "ali"));
}

TEST(NameNormalizerTest, StripsTheFathersTitlesWithoutCountingThem) {
  const NormalizedName n = Normalizer().Normalize("Hj. Siti Aminah binti H. Abdullah");
  EXPECT_EQ(n.canonical, "siti aminah");
  EXPECT_THAT(n.titles, ElementsAre("hj"));
  EXPECT_THAT(n.patronymic, ElementsAre("abdullah"));
}

TEST(NameNormalizerTest, DegreeAfterThePatronymicBelongsToThePerson) {
  const NormalizedName n = Normalizer().Normalize("Ahmad bin Umar, S.Pd.");
  EXPECT_EQ(n.canonical, "ahmad");
  EXPECT_THAT(n.titles, ElementsAre("s pd"));
  EXPECT_THAT(n.patronymic, ElementsAre("umar"));
}

TEST(NameNormalizerTest, BinAsFirstOrLastTokenIsNoPatronymic) {
  EXPECT_EQ(Canonical("Bin Hasan"), "bin hasan");
  const NormalizedName n = Normalizer().Normalize("Ahmad bin");
  EXPECT_EQ(n.canonical, "ahmad");
  EXPECT_THAT(n.patronymic, IsEmpty());
}

// --- Low-information tokens ----------------------------------------------------------------------

TEST(NameNormalizerTest, MarksBalineseBirthOrderNamesAndIAndNi) {
  EXPECT_THAT(LowInformation("I WAYAN SUDIRTA"), ElementsAre("i", "wayan"));
  EXPECT_THAT(LowInformation("NI LUH PUTU ARIANI"), ElementsAre("ni", "luh", "putu"));
  EXPECT_THAT(LowInformation("I Nyoman Gede Ketut Made Komang Kadek Nengah X"),
              ElementsAre("i", "nyoman", "gede", "ketut", "made", "komang", "kadek", "nengah"));
}

TEST(NameNormalizerTest, MarksSingleLetterLowInformationTokensOnlyFirst) {
  EXPECT_THAT(LowInformation("Hamengkubuwono I"), IsEmpty());
  EXPECT_THAT(LowInformation("Budi R. Santoso"), IsEmpty());
  EXPECT_THAT(LowInformation("R. Soeprapto"), ElementsAre("r"));
}

TEST(NameNormalizerTest, MarksJavaneseNobleTitles) {
  EXPECT_THAT(LowInformation("R.A. Kartini"), ElementsAre("r", "a"));
  EXPECT_THAT(LowInformation("Rr. Siti Hartinah"), ElementsAre("rr"));
  EXPECT_THAT(LowInformation("Raden Mas Said"), ElementsAre("raden", "mas"));
  EXPECT_THAT(LowInformation("Rd. Ajeng Kusuma"), ElementsAre("raden", "ajeng"));
}

TEST(NameNormalizerTest, MarksKeptNobleTitlesOfTheTable) {
  EXPECT_THAT(LowInformation("Teuku Umar"), ElementsAre("teuku"));
  EXPECT_THAT(LowInformation("Andi Baso"), ElementsAre("andi"));
  EXPECT_THAT(LowInformation("Anak Agung Gede Oka"), ElementsAre("anak", "agung", "gede"));
  EXPECT_THAT(LowInformation("Dg. Tompo"), ElementsAre("daeng"));
}

TEST(NameNormalizerTest, KeepsANameMadeOnlyOfLowInformationTokens) {
  const NormalizedName n = Normalizer().Normalize("Ketut");
  EXPECT_THAT(n.tokens, ElementsAre("ketut"));
  EXPECT_TRUE(n.is_low_information(0));
  EXPECT_THAT(n.InformativeTokens(), ElementsAre("ketut"));
}

TEST(NameNormalizerTest, InformativeTokensSkipLowInformationOnes) {
  const NormalizedName n = Normalizer().Normalize("I Gusti Ngurah Rai");
  EXPECT_EQ(n.low_information_mask, 0b0111u);
  EXPECT_THAT(n.InformativeTokens(), ElementsAre("rai"));
}

// --- Phonetic keys -------------------------------------------------------------------------------

TEST(NameNormalizerTest, ComputesOnePhoneticKeyPerToken) {
  const NormalizedName n = Normalizer().Normalize("Muhammad Rizki Pratama");
  ASSERT_EQ(n.phonetic_keys.size(), n.tokens.size());
  for (size_t i = 0; i < n.size(); ++i) EXPECT_EQ(n.phonetic_keys[i], PhoneticKey(n.tokens[i]));
  EXPECT_EQ(n.phonetic_keys[0], "MUHAMAT");
}

// --- Robustness ----------------------------------------------------------------------------------

TEST(NameNormalizerTest, EmptyAndWhitespaceOnlyInputGiveAnEmptyName) {
  for (const char* raw : {"", " ", "\t\n", "\u00a0\u3000", "...", "-", "123", "''"}) {
    const NormalizedName n = Normalizer().Normalize(raw);
    EXPECT_TRUE(n.empty()) << raw;
    EXPECT_EQ(n.canonical, "") << raw;
    EXPECT_THAT(n.phonetic_keys, IsEmpty()) << raw;
    EXPECT_FALSE(n.has_title()) << raw;
  }
}

TEST(NameNormalizerTest, VeryLongInputIsCutAndBounded) {
  std::string raw;
  for (int i = 0; i < 20000; ++i) raw += "Siti ";
  const NormalizedName n = Normalizer().Normalize(raw);
  EXPECT_TRUE(n.truncated);
  EXPECT_EQ(n.size(), NameNormalizer::kMaxTokens);
  EXPECT_LE(n.canonical.size(), NameNormalizer::kMaxInputBytes);

  const NormalizedName word = Normalizer().Normalize(std::string(100000, 'a'));
  EXPECT_TRUE(word.truncated);
  EXPECT_EQ(word.canonical.size(), NameNormalizer::kMaxInputBytes);
}

TEST(NameNormalizerTest, CutsLongInputAtACodePointBoundary) {
  std::string raw(NameNormalizer::kMaxInputBytes - 1, 'a');
  raw += "\u00e9\u00e9\u00e9";  // the cut falls inside the first é
  const NormalizedName n = Normalizer().Normalize(raw);
  EXPECT_TRUE(n.truncated);
  EXPECT_TRUE(IsValidUtf8(n.canonical));
}

TEST(NameNormalizerTest, CompoundSplitsStayWithinTheTokenLimit) {
  std::string raw;
  for (size_t i = 0; i < NameNormalizer::kMaxTokens; ++i) raw += "Abdulhamid ";
  const NormalizedName n = Normalizer().Normalize(raw);
  EXPECT_EQ(n.size(), NameNormalizer::kMaxTokens);
  EXPECT_TRUE(n.truncated);
}

TEST(NameNormalizerTest, InvalidUtf8IsReadSafely) {
  EXPECT_EQ(Canonical("Jos\xe9 Rizal"), "jose rizal");      // Windows-1252 é
  EXPECT_EQ(Canonical("Siti\xff Aminah"), "sitiy aminah");  // ÿ
  EXPECT_EQ(Canonical("\xc3"), "a");     // truncated sequence: Ã in Windows-1252
  EXPECT_EQ(Canonical("\x80\x81"), "");  // € and an undefined byte: no letters
  gen::Rng rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string raw(rng.Uniform(40), '\0');
    for (char& c : raw) c = static_cast<char>(rng.Uniform(256));
    const NormalizedName n = Normalizer().Normalize(raw);
    EXPECT_TRUE(IsValidUtf8(n.canonical));
    EXPECT_EQ(n.phonetic_keys.size(), n.tokens.size());
  }
}

TEST(NameNormalizerTest, ReusesTheOutputBetweenCalls) {
  NormalizedName reused;
  Normalizer().Normalize("Drs. H. Moch. Sjamsul Arifin bin Ahmad, M.Si. (Alm)", &reused);
  for (const char* raw : {"I Wayan Sudirta", "", "Ketut", "Siti Aminah binti H. Abdullah"}) {
    Normalizer().Normalize(raw, &reused);
    const NormalizedName fresh = Normalizer().Normalize(raw);
    EXPECT_EQ(reused.tokens, fresh.tokens) << raw;
    EXPECT_EQ(reused.canonical, fresh.canonical) << raw;
    EXPECT_EQ(reused.phonetic_keys, fresh.phonetic_keys) << raw;
    EXPECT_EQ(reused.patronymic, fresh.patronymic) << raw;
    EXPECT_EQ(reused.titles, fresh.titles) << raw;
    EXPECT_EQ(reused.low_information_mask, fresh.low_information_mask) << raw;
    EXPECT_EQ(reused.deceased_marker, fresh.deceased_marker) << raw;
  }
}

// --- Table-driven cases --------------------------------------------------------------------------

// Splits "a;b" (titles) or "a b" (tokens) into its parts; empty text gives none.
std::vector<std::string> SplitList(std::string_view text, char separator) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// tests/testdata/name_normalization.csv: input, canonical, titles (;-separated), patronymic
// and low_information (the marked tokens, space-separated).
TEST(NameNormalizerTest, TableDrivenCases) {
  const std::string csv =
      padan::testing::ReadFile(std::string(PADAN_TESTDATA_DIR) + "/name_normalization.csv");
  ASSERT_FALSE(csv.empty());
  internal::ReferenceCsvReader reader(csv, "name_normalization.csv");
  ASSERT_THAT(reader.ReadHeader({"input", "canonical", "titles", "patronymic", "low_information"}),
              IsOk());
  int cases = 0;
  while (reader.Next()) {
    ASSERT_THAT(reader.ExpectFieldCount(5), IsOk());
    const std::string input(reader.field(0));
    SCOPED_TRACE(::testing::Message() << "line " << reader.line() << ": " << input);
    const NormalizedName n = Normalizer().Normalize(input);
    EXPECT_EQ(n.canonical, reader.field(1));
    EXPECT_EQ(n.titles, SplitList(reader.field(2), ';'));
    EXPECT_EQ(n.patronymic, SplitList(reader.field(3), ' '));
    EXPECT_EQ(LowInformation(n), SplitList(reader.field(4), ' '));
    ++cases;
  }
  EXPECT_THAT(reader.status(), IsOk());
  EXPECT_GE(cases, 80);
}

// --- Idempotence ---------------------------------------------------------------------------------

// Normalising the canonical string again gives it back, on a few thousand generated names as
// the export writes them (titles, case, abbreviations, bin/binti, duplicates' corruptions).
TEST(NameNormalizerTest, IsIdempotentOnGeneratedNames) {
  absl::StatusOr<std::unique_ptr<RegionTable>> regions = RegionTable::LoadEmbedded();
  absl::StatusOr<std::unique_ptr<PopulationTable>> population = PopulationTable::LoadEmbedded();
  absl::StatusOr<std::unique_ptr<NameFrequencyTable>> names = NameFrequencyTable::LoadEmbedded();
  ASSERT_THAT(regions, IsOk());
  ASSERT_THAT(population, IsOk());
  ASSERT_THAT(names, IsOk());
  absl::StatusOr<std::unique_ptr<gen::Generator>> generator =
      gen::Generator::Create(**regions, **population, **names);
  ASSERT_THAT(generator, IsOk());
  const gen::Generator& g = **generator;
  gen::Rng rng(20250630);
  int checked = 0;
  NormalizedName first;
  NormalizedName again;
  while (checked < 4000) {
    const gen::GenHousehold h = g.households().Generate(g.regions().SampleDesa(rng), rng);
    for (const gen::GenPerson& original : h.members) {
      gen::GenPerson p = original;
      g.corruptor().CorruptPerson(&p, h, rng);  // typos, variants, titles, bin/binti
      const std::string raw = gen::RenderName(p.nama, p.name_case, p.title, g.titles());
      Normalizer().Normalize(raw, &first);
      Normalizer().Normalize(first.canonical, &again);
      EXPECT_EQ(again.canonical, first.canonical) << raw;
      EXPECT_THAT(again.titles, IsEmpty()) << raw;
      EXPECT_THAT(again.patronymic, IsEmpty()) << raw;
      EXPECT_EQ(again.low_information_mask, first.low_information_mask) << raw;
      ++checked;
    }
  }
}

// --- Table errors --------------------------------------------------------------------------------

// Valid minimal tables, each case replacing one.
NameNormalizer::Tables MinimalTables() {
  NameNormalizer::Tables t;
  t.token_normalization =
      "token,replacement,action,kind\nhaji,,drop,religious_title\ns pd,,drop,degree\n"
      "moh,muhammad,replace,abbreviation\n";
  t.title_positions =
      "kind,token,position,deceased\ndegree,,suffix,\nreligious_title,,prefix,\n"
      "honorific,,prefix,\nrank,,prefix,\n";
  t.abbreviations = "token,replacement,position\nst,siti,first\n";
  t.low_information = "token,kind\nwayan,balinese_birth_order\n";
  t.old_spelling = "old,modern,example\noe,u,Soekarno\ndj,j,Djoko\n";
  return t;
}

TEST(NameNormalizerTest, CreatesFromMinimalTables) {
  absl::StatusOr<std::unique_ptr<NameNormalizer>> n = NameNormalizer::Create(MinimalTables());
  ASSERT_THAT(n, IsOk());
  const NormalizedName name = (*n)->Normalize("Haji Moh. Djoko, S.Pd.");
  EXPECT_EQ(name.canonical, "muhammad joko");
  EXPECT_THAT(name.titles, ElementsAre("haji", "s pd"));
}

TEST(NameNormalizerTest, RejectsMalformedTables) {
  struct Case {
    std::string_view NameNormalizer::Tables::*table;
    std::string text;
    std::string message;
  };
  using T = NameNormalizer::Tables;
  const std::vector<Case> cases = {
      {&T::token_normalization, "token,replacement,action\n", "expected the header"},
      {&T::token_normalization, "token,replacement,action,kind\nHaji,,drop,religious_title\n",
       "line 2: token 'Haji' is not lower-case a-z words"},
      {&T::token_normalization, "token,replacement,action,kind\nhaji,,remove,religious_title\n",
       "line 2: action 'remove'"},
      {&T::token_normalization, "token,replacement,action,kind\nhaji,,drop,sultan\n",
       "line 2: unknown kind 'sultan'"},
      {&T::token_normalization, "token,replacement,action,kind\nmoh,,replace,abbreviation\n",
       "line 2: a replace row needs a replacement"},
      {&T::token_normalization, "token,replacement,action,kind\nhaji,,keep,religious_title\n",
       "line 2: a title is dropped or replaced, not kept"},
      {&T::token_normalization,
       "token,replacement,action,kind\nmoh,muh,replace,abbreviation\nmuh,muhammad,replace,"
       "abbreviation\n",
       "'moh' expands to 'muh', which is expanded again"},
      {&T::token_normalization,
       // Two spellings that fold to one key (oe → u) with different meanings.
       "token,replacement,action,kind\nmoehamad,muhammad,replace,abbreviation\n"
       "muhamad,mohammad,replace,abbreviation\n",
       "line 3: 'muhamad' already has another expansion"},
      {&T::token_normalization,
       "token,replacement,action,kind\nh m s,muhammad,replace,abbreviation\n",
       "only titles may span several tokens"},
      {&T::title_positions, "kind,token,position,deceased\ndegree,,suffix,\n",
       "no default position for kind religious_title"},
      {&T::title_positions,
       "kind,token,position,deceased\ndegree,,suffix,\nreligious_title,,prefix,\n"
       "honorific,,prefix,\nrank,,prefix,\ndegree,dr,front,\n",
       "line 6: position 'front'"},
      {&T::title_positions,
       "kind,token,position,deceased\ndegree,,suffix,\nreligious_title,,prefix,\n"
       "honorific,,prefix,\nrank,,prefix,\ndegree,drs,any,\n",
       "line 6: 'degree:drs' is not a title of that kind"},
      {&T::abbreviations, "token,replacement,position\nst,siti,last\n", "line 2: position 'last'"},
      {&T::low_information, "token,kind\nwayan,balinese\n", "line 2: unknown kind 'balinese'"},
      {&T::low_information, "token,kind\nwayan,balinese_birth_order\nwayan,balinese_birth_order\n",
       "line 3: duplicate token 'wayan'"},
      {&T::old_spelling, "old,modern,example\noej,u,x\n", "line 2: old spelling 'oej'"},
      {&T::old_spelling, "old,modern,example\noe,u,x\noe,o,y\n", "line 3: duplicate rule"},
      {&T::old_spelling, "old,modern,example\nch,kh,x\nkh,h,y\n",
       "line 2: modern spelling 'kh' is itself an old spelling"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    NameNormalizer::Tables tables = MinimalTables();
    tables.*c.table = c.text;
    const absl::Status status = NameNormalizer::Create(tables).status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.message));
  }
}

TEST(NameNormalizerTest, LoadsTheEmbeddedTables) {
  for (const char* file : {"names/name_token_normalization.csv", "names/title_positions.csv",
                           "names/name_abbreviations.csv", "names/low_information_tokens.csv",
                           "names/old_spelling.csv"}) {
    EXPECT_THAT(EmbeddedFile(file), IsOk()) << file;
  }
  EXPECT_GT(Normalizer().MemoryUsage(), 0u);
}

}  // namespace
}  // namespace padan
