#include "index/text_terms.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/field_error.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

class TextTermsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    names_ = NameNormalizer::LoadEmbedded()->release();
    addresses_ = AddressNormalizer::LoadEmbedded()->release();
    analyzer_ = new TextAnalyzer(*names_, *addresses_);
  }
  static void TearDownTestSuite() {
    delete analyzer_;
    delete addresses_;
    delete names_;
  }

  static TextDocument Siti() {
    TextDocument doc;
    doc.id_art = "A1";
    doc.nama = "Hj. SITI AMINAH binti H. Abdullah";
    doc.nama_ibu_kandung = "NUR HAYATI";
    doc.tempat_lahir = "KAB. BOGOR";
    doc.alamat = "Jl. Merdeka No. 12 RT 003/RW 005";
    doc.dusun = "Dsn. Krajan II";
    doc.nik = "3201014508800001";
    doc.no_kk = "3201010101200001";
    doc.kode_wilayah = 3201012001;
    doc.birth_year = 1980;
    return doc;
  }

  static const NameNormalizer* names_;
  static const AddressNormalizer* addresses_;
  static const TextAnalyzer* analyzer_;
};

const NameNormalizer* TextTermsTest::names_ = nullptr;
const AddressNormalizer* TextTermsTest::addresses_ = nullptr;
const TextAnalyzer* TextTermsTest::analyzer_ = nullptr;

TEST_F(TextTermsTest, NameTokensArePositionalWithPatronymicAfterAGap) {
  DocumentTerms terms;
  ASSERT_THAT(analyzer_->Analyze(Siti(), &terms), IsOk());
  EXPECT_EQ(terms.id_term, "QA1");
  EXPECT_THAT(terms.name_terms, ElementsAre("siti", "aminah", "abdullah"));
  EXPECT_THAT(terms.name_positions, ElementsAre(1, 2, 4));
  EXPECT_THAT(terms.terms, Contains("XPSITI"));
  EXPECT_THAT(terms.terms, Contains("XIhayati"));
  EXPECT_THAT(terms.terms, Contains("XInur"));
}

TEST_F(TextTermsTest, AddressWordsAreExpandedAndFolded) {
  TextDocument doc = Siti();
  doc.alamat = "Djl. Soekarno Hatta Gg. Mawar";
  DocumentTerms terms;
  ASSERT_THAT(analyzer_->Analyze(Siti(), &terms), IsOk());
  EXPECT_THAT(terms.terms, Contains("XAjalan"));
  EXPECT_THAT(terms.terms, Contains("XAmerdeka"));
  EXPECT_THAT(terms.terms, Not(Contains("XA003")));  // RT and RW are not words
  EXPECT_THAT(terms.terms, Contains("XDkrajan"));
  EXPECT_THAT(terms.terms, Contains("XD2"));  // Roman numeral
  EXPECT_THAT(terms.terms, Contains("XTbogor"));

  ASSERT_THAT(analyzer_->Analyze(doc, &terms), IsOk());
  EXPECT_THAT(terms.terms, Contains("XAsukarno"));  // old spelling folded like names
  EXPECT_THAT(terms.terms, Contains("XAgang"));
}

TEST_F(TextTermsTest, NikAndNoKkPrefixesAndRegionAncestorsAreBooleanTerms) {
  DocumentTerms terms;
  ASSERT_THAT(analyzer_->Analyze(Siti(), &terms), IsOk());
  EXPECT_THAT(terms.boolean_terms,
              UnorderedElementsAre("XN320101", "XN32010145", "XN3201014508", "XN320101450880",
                                   "XN3201014508800001", "XK320101", "XK32010101", "XK3201010101",
                                   "XK320101010120", "XK3201010101200001", "XW32", "XW3201",
                                   "XW320101", "XW3201012001", "XY1980"));
}

TEST_F(TextTermsTest, ShortOrDamagedIdNumbersKeepWhatTheyHave) {
  TextDocument doc = Siti();
  doc.nik = "320101450880001";  // a dropped digit: 15
  doc.no_kk = "3.20101E+15";    // spreadsheet damage: not digits
  doc.kode_wilayah = 3201;      // only the kabupaten known
  doc.birth_year = 0;
  DocumentTerms terms;
  ASSERT_THAT(analyzer_->Analyze(doc, &terms), IsOk());
  EXPECT_THAT(terms.boolean_terms,
              UnorderedElementsAre("XN320101", "XN32010145", "XN3201014508", "XN320101450880",
                                   "XN320101450880001", "XW32", "XW3201"));
}

TEST_F(TextTermsTest, CompoundNamesWrittenAsTwoWordsBecomeSynonyms) {
  DocumentTerms terms;
  ASSERT_THAT(analyzer_->Analyze(Siti(), &terms), IsOk());
  // From the name (Siti Aminah, also written Sitiaminah) and the mother's name (Nur Hayati).
  EXPECT_THAT(terms.synonyms, UnorderedElementsAre(Pair("sitiaminah", "siti aminah"),
                                                   Pair("nurhayati", "nur hayati")));
  EXPECT_TRUE(TextAnalyzer::IsCompoundLead("nur"));
  EXPECT_FALSE(TextAnalyzer::IsCompoundLead("budi"));
}

TEST_F(TextTermsTest, SpellingsAreLetterWordsOfThreeOrMoreBytes) {
  TextDocument doc = Siti();
  doc.nama = "Ni Luh Ayu";
  DocumentTerms terms;
  ASSERT_THAT(analyzer_->Analyze(doc, &terms), IsOk());
  EXPECT_THAT(terms.spellings, Contains("luh"));
  EXPECT_THAT(terms.spellings, Contains("ayu"));
  EXPECT_THAT(terms.spellings, Contains("merdeka"));
  EXPECT_THAT(terms.spellings, Not(Contains("ni")));
  EXPECT_THAT(terms.spellings, Not(Contains("2")));
}

TEST_F(TextTermsTest, RefusesEmptyOrLongIdArt) {
  TextDocument doc = Siti();
  DocumentTerms terms;
  doc.id_art = "";
  EXPECT_THAT(analyzer_->Analyze(doc, &terms), StatusIs(absl::StatusCode::kInvalidArgument));
  doc.id_art = std::string(TextAnalyzer::kMaxIdBytes + 1, '7');
  absl::Status status = analyzer_->Analyze(doc, &terms);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(status), "id_art");
}

TEST_F(TextTermsTest, OverlongTokensAreSkipped) {
  TextDocument doc = Siti();
  doc.nama = "Siti " + std::string(400, 'a');
  DocumentTerms terms;
  ASSERT_THAT(analyzer_->Analyze(doc, &terms), IsOk());
  for (const std::string& term : terms.name_terms) {
    EXPECT_LE(term.size(), TextAnalyzer::kMaxTermBytes);
  }
  for (const std::string& term : terms.terms) EXPECT_LE(term.size(), TextAnalyzer::kMaxTermBytes);
}

TEST_F(TextTermsTest, QueryNormalisesWordsAsAName) {
  QueryWords q;
  analyzer_->ParseQuery("H. Moch. Soekarno", &q);
  ASSERT_EQ(q.words.size(), 2u);
  EXPECT_EQ(q.words[0].token, "muhammad");
  EXPECT_EQ(q.words[1].token, "sukarno");
  EXPECT_TRUE(q.words[1].in_name);
  EXPECT_FALSE(q.words[1].phonetic.empty());
  EXPECT_THAT(q.digit_runs, IsEmpty());
}

TEST_F(TextTermsTest, QueryWordsCarryTheirAddressForms) {
  QueryWords q;
  analyzer_->ParseQuery("jl merdeka dsn iii", &q);
  ASSERT_EQ(q.words.size(), 4u);
  EXPECT_THAT(q.words[0].address_forms, ElementsAre("jalan"));
  EXPECT_THAT(q.words[1].address_forms, IsEmpty());
  EXPECT_THAT(q.words[2].address_forms, ElementsAre("dusun"));
  EXPECT_THAT(q.words[3].address_forms, ElementsAre("3"));
}

TEST_F(TextTermsTest, QueryDigitRunsKeepSeparatedNiksWhole) {
  QueryWords q;
  analyzer_->ParseQuery("siti 3201-0145-0880 rt01 1980", &q);
  ASSERT_EQ(q.words.size(), 2u);
  EXPECT_EQ(q.words[0].token, "siti");
  EXPECT_EQ(q.words[1].token, "rt");
  EXPECT_THAT(q.digit_runs, ElementsAre("320101450880", "01", "1980"));
}

TEST_F(TextTermsTest, QueryOfPunctuationHasNoWords) {
  QueryWords q;
  analyzer_->ParseQuery(" .,;-*()\"' ", &q);
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace padan
