#include "matching/address_normalizer.h"

#include <charconv>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/generator/address_generator.h"
#include "data/generator/random.h"
#include "data/internal/reference_csv.h"
#include "data/utf8.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const AddressNormalizer& Normalizer() {
  static const AddressNormalizer* normalizer = [] {
    absl::StatusOr<std::unique_ptr<AddressNormalizer>> n = AddressNormalizer::LoadEmbedded();
    EXPECT_THAT(n, IsOk());
    return n.ok() ? n->release() : nullptr;
  }();
  return *normalizer;
}

std::string Canonical(std::string_view raw) { return Normalizer().Normalize(raw).canonical; }

TEST(AddressNormalizerTest, LowerCasesAndSplitsOnPunctuation) {
  const NormalizedAddress a = Normalizer().Normalize("Jl.Merdeka,Barat");
  EXPECT_THAT(a.tokens, ElementsAre("jalan", "merdeka", "barat"));
  EXPECT_EQ(a.canonical, "jalan merdeka barat");
}

TEST(AddressNormalizerTest, ExpandsStreetWordsToTheFullWord) {
  for (const char* raw :
       {"Jl. Melati", "JL MELATI", "Jln. Melati", "Jalan Melati", "Street Melati"}) {
    EXPECT_EQ(Canonical(raw), "jalan melati") << raw;
  }
  EXPECT_EQ(Canonical("Gg. Melati"), "gang melati");
  EXPECT_EQ(Canonical("Lr. Melati"), "lorong melati");
}

TEST(AddressNormalizerTest, ExpandsSettlementWords) {
  EXPECT_EQ(Canonical("Dsn. Krajan"), "dusun krajan");
  EXPECT_EQ(Canonical("Dk. Krajan"), "dukuh krajan");
  EXPECT_EQ(Canonical("Kp. Krajan"), "kampung krajan");
  EXPECT_EQ(Canonical("Ds. Krajan"), "desa krajan");
  EXPECT_EQ(Canonical("Br. Kaja"), "banjar kaja");
  EXPECT_EQ(Canonical("Lingk. Kaja"), "lingkungan kaja");
  EXPECT_EQ(Canonical("Perum Asri"), "perumahan asri");
  EXPECT_EQ(Canonical("Komp. Asri"), "komplek asri");
  EXPECT_EQ(Canonical("Kel. Asri Kec. Baru Kab. Lama"),
            "kelurahan asri kecamatan baru kabupaten lama");
}

TEST(AddressNormalizerTest, ExpandsTwoWordKeys) {
  EXPECT_EQ(Canonical("Ujung Pandang"), "makassar");
  EXPECT_EQ(Canonical("Jabar"), "jawa barat");
}

TEST(AddressNormalizerTest, KeepsTheFullWordsThatTheSourceAbbreviated) {
  // The source table mapped these to their abbreviations; the review turned them round.
  for (const char* word : {"jalan", "gang", "dusun", "dukuh", "desa", "kampung", "lorong", "pasar",
                           "lantai", "nagari", "jorong", "gampong", "subak"}) {
    EXPECT_EQ(Canonical(word), word);
  }
}

TEST(AddressNormalizerTest, ReadsRtAndRwInTheirWrittenForms) {
  for (const char* raw :
       {"RT 001 RW 002", "RT 001/RW 002", "RT.01 RW.02", "Rt 1 Rw 2", "RT/RW 001/002", "RT01/RW02",
        "RT 01/02", "rt.001 / rw.002", "RT/RW: 001/002", "RT 1 RK 2", "RT RW 1 2"}) {
    const NormalizedAddress a = Normalizer().Normalize(raw);
    EXPECT_EQ(a.rt, 1) << raw;
    EXPECT_EQ(a.rw, 2) << raw;
    EXPECT_THAT(a.tokens, IsEmpty()) << raw;
  }
}

TEST(AddressNormalizerTest, ReadsABareRtRwPairAfterTheStreet) {
  const NormalizedAddress a = Normalizer().Normalize("Jl. Merdeka 003/005");
  EXPECT_EQ(a.rt, 3);
  EXPECT_EQ(a.rw, 5);
  EXPECT_EQ(a.canonical, "jalan merdeka");
  // Once RT is written, a later pair is not RT/RW again.
  EXPECT_EQ(Normalizer().Normalize("RT 1 RW 2 Blok 3/4").rt, 1);
}

TEST(AddressNormalizerTest, LeavesRtZeroWhenUnwrittenOrOutOfRange) {
  EXPECT_EQ(Normalizer().Normalize("Jl. Merdeka").rt, 0);
  EXPECT_EQ(Normalizer().Normalize("Jl. Merdeka RT").rt, 0);
  EXPECT_EQ(Normalizer().Normalize("RT 1234").rt, 0);
  EXPECT_EQ(Normalizer().Normalize("RT 000 RW 000").rw, 0);
}

TEST(AddressNormalizerTest, ReadsTheHouseNumber) {
  EXPECT_EQ(Normalizer().Normalize("Jl. Merdeka No. 12").number, "12");
  EXPECT_EQ(Normalizer().Normalize("Jl. Merdeka No 12A").number, "12a");
  EXPECT_EQ(Normalizer().Normalize("Jl. Merdeka No.12a").number, "12a");
  EXPECT_EQ(Normalizer().Normalize("Jl. Merdeka Nomor 12").number, "12");
  EXPECT_EQ(Normalizer().Normalize("Jl. Merdeka Nomer 012").number, "12");
  EXPECT_EQ(Normalizer().Normalize("Jl. Merdeka No. 12/3").number, "12/3");
  EXPECT_EQ(Normalizer().Normalize("Jl. Merdeka No. A12").number, "a12");
  EXPECT_EQ(Normalizer().Normalize("Jl. Merdeka Kav. 3").number, "3");
  EXPECT_EQ(Normalizer().Normalize("Jl. Sudirman Kav. 52-53").number, "52-53");
  EXPECT_EQ(Normalizer().Normalize("Gg. Mawar II/3").number, "3");
  EXPECT_EQ(Normalizer().Normalize("Jl.Merdeka 12").number, "12");
  EXPECT_EQ(Normalizer().Normalize("Jl. Merdeka No. 12 No. 14").number, "12");
}

TEST(AddressNormalizerTest, ANumberAfterKmIsADistance) {
  const NormalizedAddress a = Normalizer().Normalize("Jl. Raya Km. 12");
  EXPECT_EQ(a.number, "");
  EXPECT_EQ(a.canonical, "jalan raya km 12");
}

TEST(AddressNormalizerTest, ReadsTheBlok) {
  EXPECT_EQ(Normalizer().Normalize("Blok C2 No. 5").blok, "c2");
  EXPECT_EQ(Normalizer().Normalize("Blok C-2").blok, "c2");
  EXPECT_EQ(Normalizer().Normalize("Blok C No. 5").blok, "c");
  EXPECT_EQ(Normalizer().Normalize("Blok 12").blok, "12");
  EXPECT_EQ(Normalizer().Normalize("Blk. A1/10").blok, "a1");
  const NormalizedAddress a = Normalizer().Normalize("Perum. Griya Asri C2/5");
  EXPECT_EQ(a.blok, "c2");
  EXPECT_EQ(a.number, "5");
  EXPECT_EQ(a.canonical, "perumahan griya asri");
}

TEST(AddressNormalizerTest, WritesRomanNumeralsAndNumbersInDecimal) {
  EXPECT_EQ(Canonical("Dusun III"), "dusun 3");
  EXPECT_EQ(Canonical("Dusun XIV"), "dusun 14");
  EXPECT_EQ(Canonical("Dusun I"), "dusun 1");
  EXPECT_EQ(Canonical("Gang 007"), "gang 7");
  EXPECT_EQ(Canonical("Jl. Mix"), "jalan mix");      // not a numeral
  EXPECT_EQ(Canonical("Dusun IIII"), "dusun iiii");  // not a canonical numeral
}

TEST(AddressNormalizerTest, FoldsUnicode) {
  EXPECT_EQ(Canonical("Jl. Mérdéka"), "jalan merdeka");
  EXPECT_EQ(Canonical("ＪＬ．ＭＥＲＤＥＫＡ"), "jalan merdeka");
  EXPECT_EQ(Canonical("Jl. Jum'at"), "jalan jumat");
}

TEST(AddressNormalizerTest, EmptyAndWhitespaceOnlyInput) {
  for (const char* raw : {"", "   ", "\t", "-/-", ".,"}) {
    const NormalizedAddress a = Normalizer().Normalize(raw);
    EXPECT_THAT(a.tokens, IsEmpty()) << raw;
    EXPECT_EQ(a.canonical, "") << raw;
    EXPECT_EQ(a.rt, 0) << raw;
    EXPECT_EQ(a.number, "") << raw;
  }
}

TEST(AddressNormalizerTest, VeryLongInputIsCutAndBounded) {
  std::string raw;
  for (int i = 0; i < 10000; ++i) raw += "Jl. Melati ";
  const NormalizedAddress a = Normalizer().Normalize(raw);
  EXPECT_TRUE(a.truncated);
  EXPECT_LE(a.tokens.size(), AddressNormalizer::kMaxTokens);
  EXPECT_LE(a.canonical.size(), 2 * AddressNormalizer::kMaxInputBytes);
}

TEST(AddressNormalizerTest, InvalidUtf8IsReadSafely) {
  EXPECT_EQ(Canonical("Jl. M\xe9rdeka"), "jalan merdeka");
  gen::Rng rng(11);
  for (int round = 0; round < 2000; ++round) {
    std::string raw(rng.Uniform(60), '\0');
    for (char& c : raw) c = static_cast<char>(rng.Uniform(256));
    const NormalizedAddress a = Normalizer().Normalize(raw);
    EXPECT_TRUE(IsValidUtf8(a.canonical));
    EXPECT_GE(a.rt, 0);
    EXPECT_LE(a.rt, 999);
  }
}

TEST(AddressNormalizerTest, ReusesTheOutputBetweenCalls) {
  NormalizedAddress reused;
  Normalizer().Normalize("Perum Griya Asri Blok C2 No. 5 RT 001/RW 002", &reused);
  for (const char* raw : {"Dsn. Krajan", "", "Jl. Merdeka No. 12"}) {
    Normalizer().Normalize(raw, &reused);
    const NormalizedAddress fresh = Normalizer().Normalize(raw);
    EXPECT_EQ(reused.tokens, fresh.tokens) << raw;
    EXPECT_EQ(reused.rt, fresh.rt) << raw;
    EXPECT_EQ(reused.rw, fresh.rw) << raw;
    EXPECT_EQ(reused.number, fresh.number) << raw;
    EXPECT_EQ(reused.blok, fresh.blok) << raw;
  }
}

// Every writing style of the generator's addresses gives the same parts back.
TEST(AddressNormalizerTest, AgreesAcrossTheGeneratorsWritingStyles) {
  gen::Rng rng(3);
  for (int round = 0; round < 500; ++round) {
    const gen::Address address =
        gen::AddressGenerator::Generate(static_cast<gen::NameCustom>(1 + rng.Uniform(11)),
                                        rng.Bernoulli(0.5), rng.Bernoulli(0.3), rng);
    const NormalizedAddress first =
        Normalizer().Normalize(gen::AddressGenerator::RenderAlamat(address, 0));
    for (int style = 1; style < gen::AddressGenerator::kStyles; ++style) {
      const std::string raw = gen::AddressGenerator::RenderAlamat(address, style);
      const NormalizedAddress other = Normalizer().Normalize(raw);
      EXPECT_EQ(other.number, first.number) << raw;
      EXPECT_EQ(other.blok, first.blok) << raw;
    }
  }
}

int ToInt(std::string_view text) {
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// tests/testdata/address_normalization.csv: input, canonical, rt, rw, number, blok.
TEST(AddressNormalizerTest, TableDrivenCases) {
  const std::string csv =
      padan::testing::ReadFile(std::string(PADAN_TESTDATA_DIR) + "/address_normalization.csv");
  ASSERT_FALSE(csv.empty());
  internal::ReferenceCsvReader reader(csv, "address_normalization.csv");
  ASSERT_THAT(reader.ReadHeader({"input", "canonical", "rt", "rw", "number", "blok"}), IsOk());
  int cases = 0;
  while (reader.Next()) {
    ASSERT_THAT(reader.ExpectFieldCount(6), IsOk());
    SCOPED_TRACE(::testing::Message() << "line " << reader.line() << ": " << reader.field(0));
    const NormalizedAddress a = Normalizer().Normalize(reader.field(0));
    EXPECT_EQ(a.canonical, reader.field(1));
    EXPECT_EQ(a.rt, ToInt(reader.field(2)));
    EXPECT_EQ(a.rw, ToInt(reader.field(3)));
    EXPECT_EQ(a.number, reader.field(4));
    EXPECT_EQ(a.blok, reader.field(5));
    ++cases;
  }
  EXPECT_THAT(reader.status(), IsOk());
  EXPECT_GE(cases, 60);
}

TEST(AddressNormalizerTest, RejectsMalformedTables) {
  struct Case {
    std::string csv;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"token,replacement\n", "expected the header"},
      {"token,replacement,action\nJl,jalan,replace\n", "line 2: token 'Jl'"},
      {"token,replacement,action\njl,jalan,shorten\n", "line 2: action 'shorten'"},
      {"token,replacement,action\njl,,replace\n", "line 2: a replace row needs"},
      {"token,replacement,action\njl,jl,replace\n", "line 2: a replace row needs"},
      {"token,replacement,action\ndki,x,drop\n", "line 2: a drop row has no replacement"},
      {"token,replacement,action\njl,jalan,replace\njl,jalan,replace\n",
       "line 3: duplicate token 'jl'"},
      {"token,replacement,action\njalan raya besar,jalan,replace\n",
       "line 2: token 'jalan raya besar' is not one or two"},
      // The source's two directions: jln → jl while jalan → jl would be fine, but jl → jalan
      // and jalan → jl cannot both hold.
      {"token,replacement,action\njalan,jl,replace\njl,jalan,replace\n",
       "replacement word 'jl' is itself replaced"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.csv);
    const absl::Status status = AddressNormalizer::FromCsv(c.csv).status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace padan
