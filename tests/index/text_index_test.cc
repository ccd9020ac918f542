#include "index/text_index.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/field_error.h"
#include "index/text_indexer.h"
#include "index/text_terms.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

TextDocument Doc(std::string id_art, std::string nama, std::string ibu, std::string tempat,
                 std::string alamat, std::string dusun, std::string nik, std::string no_kk,
                 KodeWilayah kode_wilayah, int birth_year) {
  TextDocument d;
  d.id_art = std::move(id_art);
  d.nama = std::move(nama);
  d.nama_ibu_kandung = std::move(ibu);
  d.tempat_lahir = std::move(tempat);
  d.alamat = std::move(alamat);
  d.dusun = std::move(dusun);
  d.nik = std::move(nik);
  d.no_kk = std::move(no_kk);
  d.kode_wilayah = kode_wilayah;
  d.birth_year = birth_year;
  return d;
}

// Persons as SIKS-NG exports write them: upper case, titles, old spellings, abbreviations.
// Kab. Bogor (3201), Kota Semarang (3374), Kab. Blitar (3505), Kota Denpasar (5171).
std::vector<TextDocument> Registry() {
  return {
      Doc("P01", "SITI AMINAH", "FATIMAH", "BOGOR", "JL. MERDEKA NO. 12 RT 003/RW 005", "KRAJAN",
          "3201014508800001", "3201010101200001", 3201012001, 1980),
      Doc("P02", "AMINAH SITI RAHMA", "SUMIATI", "BOGOR", "KP. SUKAMAJU", "", "3201015003850002",
          "3201010101200002", 3201012002, 1985),
      Doc("P03", "SUKARNO", "IDA AYU NYOMAN RAI", "BLITAR", "JL. PAHLAWAN NO. 3", "",
          "3505010606010001", "3505010101200003", 3505012003, 1951),
      Doc("P04", "AHMAD FAUZI", "SITI KHODIJAH", "CIANJUR", "JL. RAYA CIBEBER", "KULON",
          "3201021203790004", "3201020101200004", 3201022001, 1979),
      Doc("P05", "MOCH. ALI RAHMAN", "SITI ROMLAH", "GRESIK", "GG. MAWAR II/3", "", "", "",
          3201032001, 1975),
      Doc("P06", "NUR HAYATI", "SALAMAH", "SEMARANG", "JL. PEMUDA", "", "3374016704900006",
          "3374010101200006", 3374011001, 1990),
      Doc("P07", "NURHAYATI", "MARYAM", "BOGOR", "KP. BABAKAN", "", "3201046108920007",
          "3201040101200007", 3201042001, 1992),
      Doc("P08", "NURUL HIDAYAH", "AISYAH", "BOGOR", "KP. BABAKAN", "", "3201044402950008",
          "3201040101200007", 3201042001, 1995),
      Doc("P09", "DEWI LESTARI", "SRI MULYANI", "SEMARANG", "JL. PANDANARAN", "",
          "3374015805880009", "3374010101200009", 3374011002, 1988),
      Doc("P10", "SITI RAHAYU", "PONIYEM", "SEMARANG", "JL. PANDANARAN", "", "3374015907700010",
          "3374010101200009", 3374011002, 1970),
      Doc("P11", "BUDI SANTOSO", "SUPARMI", "BOGOR", "PERUM GRIYA ASRI BLOK C2 NO. 5", "", "", "",
          3201052001, 1983),
      Doc("P12", "YUSUF HIDAYAT", "AMINAH", "BOGOR", "KP. SUKAMAJU", "", "3201050101870012", "",
          3201052001, 1987),
      Doc("P13", "I WAYAN SUDARSANA", "NI KETUT RAI", "DENPASAR", "JL. GATOT SUBROTO", "",
          "5171010303780013", "", 5171011001, 1978),
      Doc("P14", "NI LUH PUTU ARIANI", "NI MADE SUASTI", "DENPASAR", "JL. GATOT SUBROTO", "",
          "5171014404820014", "", 5171011001, 1982),
      Doc("P15", "HJ. SITI AISYAH BINTI H. ABDULLAH", "HALIMAH", "BOGOR", "KP. CIBURUY", "",
          "3201014907650015", "", 3201012001, 1965),
      Doc("P16", "DJOKO SUSILO", "SOEMINAH", "BLITAR", "DSN. KRAJAN", "", "3505011212600016", "",
          3505012003, 1960),
      Doc("P17", "SRI WAHYUNI", "SUKINEM", "BLITAR", "", "", "", "", 3505012003, 1972),
      Doc("P18", "RACHMAT HIDAYAT", "JUARIAH", "CIANJUR", "", "", "", "", 3201022001, 1969),
      Doc("P19", "FATIMAH ZAHRA", "KHADIJAH", "BOGOR", "JL. MERPATI", "", "", "", 3201012001, 2001),
      Doc("P20", "AGUS SALIM", "WARSIH", "BOGOR", "JL. H. AGUS SALIM NO. 1", "", "", "", 3201012001,
          1977),
      Doc("P21", "EKO PRASETYO", "SARINAH", "BLITAR", "", "", "", "", 3505012003, 1984),
      Doc("P22", "MUHAMMAD RIZKI", "NURHASANAH", "BOGOR", "", "", "", "", 3201012001, 2005),
      Doc("P23", "ABDUL ROHMAN", "SITI ROMLAH", "GRESIK", "", "", "", "", 3201032001, 1962),
      Doc("P24", "ABDURRAHMAN WAHID", "SOLICHAH", "JOMBANG", "", "", "", "", 3505012003, 1940),
      Doc("P25", "RATNA SARI DEWI", "SUPRAPTI", "SEMARANG", "", "", "", "", 3374011002, 1986),
      Doc("P26", "SURYADI", "TUMINAH", "BLITAR", "", "", "", "", 3505012003, 1958),
      Doc("P27", "KHADIJAH", "MARYAM", "BOGOR", "", "", "", "", 3201042001, 1999),
      Doc("P28", "SUPARMAN", "SUKINAH", "BLITAR", "", "", "", "", 3505012003, 1956),
      Doc("P29", "TEGUH WIBOWO", "SUMARNI", "SEMARANG", "", "", "", "", 3374011002, 1981),
      Doc("P30", "KRISTINA WULANDARI", "MARIA", "SEMARANG", "", "", "", "", 3374011002, 1989),
  };
}

std::vector<std::string> Ids(const TextSearchResult& result) {
  std::vector<std::string> ids;
  for (const TextHit& hit : result.hits) ids.push_back(hit.id_art);
  return ids;
}

class TextIndexTest : public ::testing::Test {
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

  // No commit happens on its own within a test: only EndInitialLoad and WaitIdle commit, so
  // what a search sees is decided by the test, not by timing.
  static TextIndexerOptions ManualCommits() {
    TextIndexerOptions options;
    options.commit_every = 1'000'000;
    options.commit_interval = absl::Hours(1);
    return options;
  }

  void SetUp() override { dir_ = padan::testing::MakeTempDir() + "/text"; }

  // Starts an indexer on dir_, loads Registry() as the initial load and opens the index.
  void Load() {
    indexer_ = std::make_unique<TextIndexer>(*analyzer_, ManualCommits());
    ASSERT_THAT(indexer_->Start(dir_), IsOk());
    ASSERT_THAT(indexer_->Enqueue(Registry()), IsOk());
    ASSERT_THAT(indexer_->EndInitialLoad(), IsOk());
    ASSERT_THAT(indexer_->WaitIdle(), IsOk());
    auto index = TextIndex::Open(dir_, *analyzer_, indexer_.get());
    ASSERT_THAT(index, IsOk());
    index_ = std::move(index).value();
  }

  TextSearchResult Search(std::string_view query, KodeWilayah scope = 0) {
    TextSearchRequest request;
    request.query = query;
    request.scope = scope;
    request.limit = 50;
    absl::StatusOr<TextSearchResult> result = index_->Search(request);
    EXPECT_THAT(result, IsOk()) << query;
    return result.ok() ? *std::move(result) : TextSearchResult();
  }
  std::vector<std::string> SearchIds(std::string_view query, KodeWilayah scope = 0) {
    return Ids(Search(query, scope));
  }

  static const NameNormalizer* names_;
  static const AddressNormalizer* addresses_;
  static const TextAnalyzer* analyzer_;
  std::string dir_;
  std::unique_ptr<TextIndexer> indexer_;
  std::unique_ptr<TextIndex> index_;
};

const NameNormalizer* TextIndexTest::names_ = nullptr;
const AddressNormalizer* TextIndexTest::addresses_ = nullptr;
const TextAnalyzer* TextIndexTest::analyzer_ = nullptr;

TEST_F(TextIndexTest, ExactNameRanksThePersonWithTheWordsInOrderFirst) {
  Load();
  TextSearchResult result = Search("Siti Aminah");
  // P02 "Aminah Siti Rahma" has both words too, out of order; P12's mother is Aminah.
  ASSERT_THAT(Ids(result), ElementsAre("P01", "P02"));
  EXPECT_GT(result.hits[0].weight, result.hits[1].weight);
  EXPECT_EQ(result.estimated_total, 2u);
  EXPECT_TRUE(result.corrected_query.empty());
  EXPECT_FALSE(result.relaxed);
  EXPECT_TRUE(result.complete);
  EXPECT_TRUE(result.ready);
}

TEST_F(TextIndexTest, CaseTitlesAndPunctuationDoNotMatter) {
  Load();
  EXPECT_THAT(SearchIds("hj. siti aisyah"), ElementsAre("P15"));
  EXPECT_THAT(SearchIds("SITI   AISYAH binti abdullah"), ElementsAre("P15"));
}

TEST_F(TextIndexTest, TypoIsFoundBySound) {
  Load();
  EXPECT_THAT(SearchIds("Ahmat Fauzi"), ElementsAre("P04"));
  EXPECT_THAT(SearchIds("Achmad Fauzi"), ElementsAre("P04"));
  EXPECT_THAT(SearchIds("Yusup Hidayat"), Contains("P12"));
  EXPECT_THAT(SearchIds("Rahmat Hidayat"), Contains("P18"));
  EXPECT_THAT(SearchIds("Christina"), ElementsAre("P30"));
}

TEST_F(TextIndexTest, MisspeltWordGetsASpellingSuggestionAndItsMatches) {
  Load();
  TextSearchResult result = Search("siti aminha");
  EXPECT_EQ(result.corrected_query, "siti aminah");
  EXPECT_THAT(Ids(result), Contains("P01"));
  EXPECT_EQ(result.hits[0].id_art, "P01");

  result = Search("wulandary");
  EXPECT_EQ(result.corrected_query, "wulandari");
  EXPECT_THAT(Ids(result), ElementsAre("P30"));

  TextSearchRequest request;
  request.query = "siti aminha";
  request.spelling = false;
  absl::StatusOr<TextSearchResult> without = index_->Search(request);
  ASSERT_THAT(without, IsOk());
  EXPECT_TRUE(without->corrected_query.empty());
}

TEST_F(TextIndexTest, OldSpellingFindsTheModernOneAndBack) {
  Load();
  EXPECT_THAT(SearchIds("Soekarno"), ElementsAre("P03"));
  EXPECT_THAT(SearchIds("Joko Susilo"), ElementsAre("P16"));
  EXPECT_THAT(SearchIds("Djoko Soesilo"), ElementsAre("P16"));
}

TEST_F(TextIndexTest, MuhammadVariantsFindEachOther) {
  Load();
  for (std::string_view query : {"Muhammad Ali", "Muhamad Ali", "Mochammad Ali", "Moh. Ali",
                                 "M. Ali Rahman", "Mohammad Ali Rahman"}) {
    EXPECT_THAT(SearchIds(query), ElementsAre("P05")) << query;
  }
  EXPECT_THAT(SearchIds("Moch Rizki"), ElementsAre("P22"));
  EXPECT_THAT(SearchIds("Abdul Rahman Wahid"), ElementsAre("P24"));
  EXPECT_THAT(SearchIds("Abdurrohman"), Contains("P23"));
}

TEST_F(TextIndexTest, AddressDusunAndBirthplaceWords) {
  Load();
  EXPECT_THAT(SearchIds("jl merdeka"), ElementsAre("P01"));
  EXPECT_THAT(SearchIds("Jalan Merdeka"), ElementsAre("P01"));
  EXPECT_THAT(SearchIds("siti merdeka"), ElementsAre("P01"));
  EXPECT_THAT(SearchIds("kampung sukamaju"), UnorderedElementsAre("P02", "P12"));
  EXPECT_THAT(SearchIds("gang mawar"), ElementsAre("P05"));
  EXPECT_THAT(SearchIds("krajan"), UnorderedElementsAre("P01", "P16"));  // dusun, alamat
  EXPECT_THAT(SearchIds("denpasar"), UnorderedElementsAre("P13", "P14"));
  EXPECT_THAT(SearchIds("Eko Blitar"), ElementsAre("P21"));
}

TEST_F(TextIndexTest, NameMatchesOutrankMothersNameMatches) {
  Load();
  // P19 is Fatimah; P01's mother is.
  EXPECT_THAT(SearchIds("Fatimah"), ElementsAre("P19", "P01"));
  // P27 is Khadijah; P19's mother is Khadijah, P04's mother Khodijah (same sound).
  std::vector<std::string> ids = SearchIds("Khadijah");
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids[0], "P27");
  EXPECT_THAT(ids, Contains("P19"));
}

TEST_F(TextIndexTest, NikAndNoKkPrefixes) {
  Load();
  EXPECT_THAT(SearchIds("320101"), UnorderedElementsAre("P01", "P02", "P15"));
  EXPECT_THAT(SearchIds("32010145"), ElementsAre("P01"));
  EXPECT_THAT(SearchIds("3201014508"), ElementsAre("P01"));
  EXPECT_THAT(SearchIds("320101450880"), ElementsAre("P01"));
  EXPECT_THAT(SearchIds("3201014508800001"), ElementsAre("P01"));
  EXPECT_THAT(SearchIds("3201-0145-0880-0001"), ElementsAre("P01"));
  // Lengths between the indexed ones go through the next indexed length.
  EXPECT_THAT(SearchIds("3201014"), UnorderedElementsAre("P01", "P15"));
  EXPECT_THAT(SearchIds("32010145088"), ElementsAre("P01"));
  EXPECT_THAT(SearchIds("3201014508800"), ElementsAre("P01"));
  // No KK: P07 and P08 share a family card.
  EXPECT_THAT(SearchIds("3201040101200007"), UnorderedElementsAre("P07", "P08"));
  // A NIK with a name narrows to both.
  EXPECT_THAT(SearchIds("siti 320101"), UnorderedElementsAre("P01", "P02", "P15"));
  EXPECT_THAT(SearchIds("aisyah 320101"), ElementsAre("P15"));
  // A 4-digit number is a birth year.
  EXPECT_THAT(SearchIds("siti 1970"), ElementsAre("P10"));
}

TEST_F(TextIndexTest, OwnNameOutranksMothersNameForACommonWord) {
  Load();
  std::vector<std::string> ids = SearchIds("siti");
  ASSERT_EQ(ids.size(), 7u);
  // Named Siti, then whose mother is (P04, P05, P23).
  EXPECT_THAT(std::vector<std::string>(ids.begin(), ids.begin() + 4),
              UnorderedElementsAre("P01", "P02", "P10", "P15"));
  EXPECT_THAT(std::vector<std::string>(ids.begin() + 4, ids.end()),
              UnorderedElementsAre("P04", "P05", "P23"));
}

TEST_F(TextIndexTest, ScopeFilterKeepsOnlyTheRegion) {
  Load();
  EXPECT_THAT(SearchIds("siti", 33), ElementsAre("P10"));
  EXPECT_THAT(SearchIds("siti", 3374), ElementsAre("P10"));
  EXPECT_THAT(SearchIds("siti", 3201),
              UnorderedElementsAre("P01", "P02", "P15", "P04", "P05", "P23"));
  EXPECT_THAT(SearchIds("siti", 320101), UnorderedElementsAre("P01", "P02", "P15"));
  EXPECT_THAT(SearchIds("siti", 3201012001), UnorderedElementsAre("P01", "P15"));
  EXPECT_THAT(SearchIds("siti", 51), IsEmpty());
}

TEST_F(TextIndexTest, CompoundNamesMatchJoinedOrSplit) {
  Load();
  EXPECT_THAT(SearchIds("Nurhayati"), UnorderedElementsAre("P06", "P07"));
  EXPECT_THAT(SearchIds("Nur Hayati"), UnorderedElementsAre("P06", "P07"));
  EXPECT_THAT(SearchIds("Sriwahyuni"), Contains("P17"));
}

TEST_F(TextIndexTest, NameEquivalentsAreSynonyms) {
  Load();
  EXPECT_THAT(SearchIds("Nur Hidayah"), ElementsAre("P08"));
  std::vector<std::string> ids = SearchIds("Nurul Hayati");
  EXPECT_THAT(ids, Contains("P06"));
}

TEST_F(TextIndexTest, NoPersonWithAllWordsRelaxesToAny) {
  Load();
  TextSearchResult result = Search("sukarno lestari");
  EXPECT_TRUE(result.relaxed);
  EXPECT_THAT(Ids(result), UnorderedElementsAre("P03", "P09"));
}

TEST_F(TextIndexTest, WordsMatchingNothingAreReportedAndLeftOut) {
  Load();
  TextSearchResult result = Search("budi qxzqxz");
  EXPECT_THAT(result.unmatched_words, ElementsAre("qxzqxz"));
  EXPECT_THAT(Ids(result), ElementsAre("P11"));
  EXPECT_FALSE(result.relaxed);

  result = Search("qxzqxz 99999999999999999");
  EXPECT_THAT(result.unmatched_words, ElementsAre("qxzqxz", "99999999999999999"));
  EXPECT_THAT(result.hits, IsEmpty());
  EXPECT_EQ(result.estimated_total, 0u);
}

TEST_F(TextIndexTest, PagingWalksTheHits) {
  Load();
  TextSearchRequest request;
  request.query = "siti";
  request.limit = 4;
  absl::StatusOr<TextSearchResult> first = index_->Search(request);
  request.offset = 4;
  absl::StatusOr<TextSearchResult> second = index_->Search(request);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(first->estimated_total, 7u);
  EXPECT_EQ(second->estimated_total, 7u);
  ASSERT_EQ(first->hits.size(), 4u);
  ASSERT_EQ(second->hits.size(), 3u);
  std::vector<std::string> all = Ids(*first);
  for (const std::string& id : Ids(*second)) all.push_back(id);
  EXPECT_THAT(all, UnorderedElementsAre("P01", "P02", "P10", "P15", "P04", "P05", "P23"));
}

TEST_F(TextIndexTest, ReplaceAndDeleteByIdArt) {
  Load();
  std::vector<TextDocument> changed = {Registry()[0]};
  changed[0].nama = "SITI AMINAH WULANDARI";
  changed[0].alamat = "JL. MELATI";
  ASSERT_THAT(indexer_->Enqueue(changed), IsOk());
  ASSERT_THAT(indexer_->WaitIdle(), IsOk());
  EXPECT_THAT(SearchIds("wulandari"), UnorderedElementsAre("P01", "P30"));
  EXPECT_THAT(SearchIds("merdeka"), IsEmpty());
  EXPECT_THAT(SearchIds("melati"), ElementsAre("P01"));
  EXPECT_EQ(indexer_->progress().documents, Registry().size());

  ASSERT_THAT(indexer_->EnqueueDelete("P01"), IsOk());
  ASSERT_THAT(indexer_->EnqueueDelete("NO-SUCH-ID"), IsOk());
  ASSERT_THAT(indexer_->WaitIdle(), IsOk());
  EXPECT_THAT(SearchIds("wulandari"), ElementsAre("P30"));
  EXPECT_THAT(SearchIds("3201014508800001"), IsEmpty());
  EXPECT_EQ(indexer_->progress().documents, Registry().size() - 1);
}

TEST_F(TextIndexTest, SearchWorksWhileTheIndexerIsBehindAndSaysSo) {
  std::vector<TextDocument> all = Registry();
  std::vector<TextDocument> first(all.begin(), all.begin() + 15);
  std::vector<TextDocument> second(all.begin() + 15, all.end());
  indexer_ = std::make_unique<TextIndexer>(*analyzer_, ManualCommits());
  ASSERT_THAT(indexer_->Start(dir_), IsOk());
  auto index = TextIndex::Open(dir_, *analyzer_, indexer_.get());
  ASSERT_THAT(index, IsOk());
  index_ = std::move(index).value();
  EXPECT_FALSE(index_->ready());

  // The initial load is queued but not committed: search runs on what is there (nothing).
  ASSERT_THAT(indexer_->Enqueue(first), IsOk());
  TextSearchResult result = Search("siti aminah");
  EXPECT_FALSE(result.ready);
  EXPECT_FALSE(result.complete);
  EXPECT_THAT(result.hits, IsEmpty());

  ASSERT_THAT(indexer_->EndInitialLoad(), IsOk());
  ASSERT_THAT(indexer_->WaitIdle(), IsOk());
  EXPECT_TRUE(index_->ready());
  result = Search("siti aminah");
  EXPECT_TRUE(result.ready);
  EXPECT_TRUE(result.complete);
  EXPECT_THAT(Ids(result), ElementsAre("P01", "P02"));

  // Updates after the initial load: ready stays, complete turns false until they commit.
  ASSERT_THAT(indexer_->Enqueue(second), IsOk());
  result = Search("khadijah");
  EXPECT_TRUE(result.ready);
  EXPECT_FALSE(result.complete);
  EXPECT_THAT(Ids(result), Not(Contains("P27")));
  TextIndexProgress progress = indexer_->progress();
  EXPECT_EQ(progress.enqueued, all.size());
  EXPECT_EQ(progress.committed, first.size());

  ASSERT_THAT(indexer_->WaitIdle(), IsOk());
  result = Search("khadijah");
  EXPECT_TRUE(result.complete);
  EXPECT_THAT(Ids(result), Contains("P27"));
}

TEST_F(TextIndexTest, FreshLoadFastPathStillReplacesRepeatedIds) {
  TextIndexerOptions options = ManualCommits();
  options.recreate = true;
  options.expected_documents = 4;  // saturates (past 8) within the test: both paths run
  indexer_ = std::make_unique<TextIndexer>(*analyzer_, options);
  ASSERT_THAT(indexer_->Start(dir_), IsOk());
  std::vector<TextDocument> registry = Registry();
  ASSERT_THAT(indexer_->Enqueue({registry[0], registry[1]}), IsOk());
  TextDocument renamed = registry[0];
  renamed.nama = "WULAN SARI";
  ASSERT_THAT(indexer_->Enqueue({renamed}), IsOk());  // same id_art, same transaction
  ASSERT_THAT(indexer_->EnqueueDelete("P02"), IsOk());
  ASSERT_THAT(indexer_->Enqueue({registry[1]}), IsOk());  // back after its deletion
  ASSERT_THAT(indexer_->Enqueue(registry), IsOk());       // everything again, P01 last as before
  ASSERT_THAT(indexer_->Enqueue({renamed}), IsOk());
  ASSERT_THAT(indexer_->EndInitialLoad(), IsOk());
  ASSERT_THAT(indexer_->WaitIdle(), IsOk());
  EXPECT_EQ(indexer_->progress().documents, registry.size());
  auto index = TextIndex::Open(dir_, *analyzer_, indexer_.get());
  ASSERT_THAT(index, IsOk());
  index_ = std::move(index).value();
  EXPECT_THAT(SearchIds("wulan sari"), ElementsAre("P01"));
  EXPECT_THAT(SearchIds("siti aminah"), ElementsAre("P02"));
}

TEST_F(TextIndexTest, CommitsOnItsOwnAfterTheInterval) {
  TextIndexerOptions options;
  options.commit_every = 1'000'000;
  options.commit_interval = absl::Milliseconds(1);
  indexer_ = std::make_unique<TextIndexer>(*analyzer_, options);
  ASSERT_THAT(indexer_->Start(dir_), IsOk());
  ASSERT_THAT(indexer_->Enqueue(Registry()), IsOk());
  // No flush is requested: the interval alone makes the thread commit.
  ASSERT_THAT(indexer_->WaitCommitted(indexer_->progress().enqueued), IsOk());
  EXPECT_TRUE(indexer_->progress().complete());
  EXPECT_EQ(indexer_->progress().documents, Registry().size());
  EXPECT_FALSE(indexer_->ready());  // no initial load was declared
}

TEST_F(TextIndexTest, ConcurrentSearchesWhileCommitting) {
  TextIndexerOptions options;
  // Many commits (60), so readers reopen often and sometimes see their revision overwritten
  // (DatabaseModifiedError), which Search retries.
  options.commit_every = 10;
  options.commit_interval = absl::Hours(1);
  indexer_ = std::make_unique<TextIndexer>(*analyzer_, options);
  ASSERT_THAT(indexer_->Start(dir_), IsOk());
  auto index = TextIndex::Open(dir_, *analyzer_, indexer_.get());
  ASSERT_THAT(index, IsOk());
  index_ = std::move(index).value();

  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  absl::Mutex mu;
  absl::Status first_failure;
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      TextSearchRequest request;
      request.query = "siti hidayat 3201";
      while (!done.load()) {
        absl::StatusOr<TextSearchResult> result = index_->Search(request);
        if (!result.ok()) {
          failures.fetch_add(1);
          absl::MutexLock lock(&mu);
          if (first_failure.ok()) first_failure = result.status();
        }
      }
    });
  }
  const std::vector<TextDocument> registry = Registry();
  for (int round = 0; round < 20; ++round) {
    for (const TextDocument& doc : registry) {
      TextDocument copy = doc;
      copy.id_art.append("-").append(std::to_string(round));
      ASSERT_THAT(indexer_->Enqueue({copy}), IsOk());
    }
  }
  ASSERT_THAT(indexer_->WaitIdle(), IsOk());
  done.store(true);
  for (std::thread& thread : readers) thread.join();
  EXPECT_EQ(failures.load(), 0) << first_failure;
  EXPECT_EQ(indexer_->progress().documents, 20 * registry.size());
}

TEST_F(TextIndexTest, RestartKeepsTheDatabaseUnlessRecreated) {
  Load();
  index_.reset();
  ASSERT_THAT(indexer_->Stop(), IsOk());
  EXPECT_THAT(indexer_->Enqueue(Registry()), StatusIs(absl::StatusCode::kFailedPrecondition));

  indexer_ = std::make_unique<TextIndexer>(*analyzer_, ManualCommits());
  ASSERT_THAT(indexer_->Start(dir_), IsOk());
  EXPECT_EQ(indexer_->progress().documents, Registry().size());
  ASSERT_THAT(indexer_->Stop(), IsOk());

  TextIndexerOptions options = ManualCommits();
  options.recreate = true;
  indexer_ = std::make_unique<TextIndexer>(*analyzer_, options);
  ASSERT_THAT(indexer_->Start(dir_), IsOk());
  EXPECT_EQ(indexer_->progress().documents, 0u);
}

TEST_F(TextIndexTest, AbandonDropsWhatIsNotCommitted) {
  Load();
  index_.reset();
  std::vector<TextDocument> more = {Registry()[0]};
  more[0].id_art = "NEW1";
  ASSERT_THAT(indexer_->Enqueue(more), IsOk());
  ASSERT_THAT(indexer_->Abandon(), IsOk());
  EXPECT_THAT(indexer_->Enqueue(more), StatusIs(absl::StatusCode::kFailedPrecondition));

  indexer_ = std::make_unique<TextIndexer>(*analyzer_, ManualCommits());
  ASSERT_THAT(indexer_->Start(dir_), IsOk());
  EXPECT_EQ(indexer_->progress().documents, Registry().size());
}

TEST_F(TextIndexTest, SecondWriterIsRefused) {
  Load();
  TextIndexer second(*analyzer_, ManualCommits());
  absl::Status status = second.Start(dir_);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr(dir_));
}

TEST_F(TextIndexTest, CorruptDatabaseFailsCleanly) {
  Load();
  index_.reset();
  ASSERT_THAT(indexer_->Stop(), IsOk());
  indexer_.reset();
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    padan::testing::WriteFile(entry.path().string(),
                              std::string(8192, '\x5a') + "not a glass table");
  }
  auto index = TextIndex::Open(dir_, *analyzer_, nullptr);
  EXPECT_THAT(index, StatusIs(absl::StatusCode::kDataLoss));
  TextIndexer writer(*analyzer_, ManualCommits());
  EXPECT_THAT(writer.Start(dir_), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(writer.Enqueue(Registry()), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(TextIndexTest, DamagedTableFailsCleanly) {
  Load();
  index_.reset();
  ASSERT_THAT(indexer_->Stop(), IsOk());
  indexer_.reset();
  // The version file is intact; the postings are garbage.
  const std::string postlist = dir_ + "/postlist.glass";
  const std::string content = padan::testing::ReadFile(postlist);
  ASSERT_FALSE(content.empty());
  padan::testing::WriteFile(postlist, std::string(content.size(), '\x5a'));
  // Xapian reads each table's root block when it opens the database.
  auto index = TextIndex::Open(dir_, *analyzer_, nullptr);
  EXPECT_THAT(index, StatusIs(absl::StatusCode::kDataLoss));
  TextIndexer writer(*analyzer_, ManualCommits());
  EXPECT_THAT(writer.Start(dir_), StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(TextIndexTest, MissingDatabaseIsNotFound) {
  EXPECT_THAT(TextIndex::Open(dir_ + "/nothing-here", *analyzer_, nullptr),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(TextIndexTest, ReadOnlyIndexWithoutIndexerReopensEverySearch) {
  Load();
  auto replica = TextIndex::Open(dir_, *analyzer_, nullptr);
  ASSERT_THAT(replica, IsOk());
  TextSearchRequest request;
  request.query = "budi santoso";
  absl::StatusOr<TextSearchResult> result = (*replica)->Search(request);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Ids(*result), ElementsAre("P11"));
  EXPECT_TRUE(result->complete);
  EXPECT_TRUE(result->ready);

  ASSERT_THAT(indexer_->EnqueueDelete("P11"), IsOk());
  ASSERT_THAT(indexer_->WaitIdle(), IsOk());
  result = (*replica)->Search(request);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->hits, IsEmpty());
}

TEST_F(TextIndexTest, InvalidRequestsNameTheField) {
  Load();
  auto field_of = [&](TextSearchRequest request) -> std::string {
    absl::StatusOr<TextSearchResult> result = index_->Search(request);
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
    return FieldOf(result.status()).value_or("");
  };
  TextSearchRequest request;
  request.query = "";
  EXPECT_EQ(field_of(request), "q");
  request.query = " ..;; -- ";
  EXPECT_EQ(field_of(request), "q");
  const std::string long_query(TextIndex::kMaxQueryBytes + 1, 'a');
  request.query = long_query;
  EXPECT_EQ(field_of(request), "q");
  request.query = "a b c d e f g h i j k l m n o p q";
  EXPECT_EQ(field_of(request), "q");
  request.query = "siti";
  request.scope = 123;
  EXPECT_EQ(field_of(request), "wilayah");
  request.scope = 0;
  request.limit = 0;
  EXPECT_EQ(field_of(request), "limit");
  request.limit = TextIndex::kMaxLimit + 1;
  EXPECT_EQ(field_of(request), "limit");
  request.limit = 10;
  request.offset = TextIndex::kMaxOffset + 1;
  EXPECT_EQ(field_of(request), "offset");
}

TEST_F(TextIndexTest, HostileQueriesNeverFailOtherwise) {
  Load();
  const std::string long_word(300, 'a');
  const std::string long_digits(40, '7');
  for (std::string_view query :
       {std::string_view(long_word), std::string_view(long_digits),
        std::string_view("\xff\xfe\xfd"), std::string_view("AND OR NOT NEAR"),
        std::string_view("\"siti\" OR *"), std::string_view("siti*"), std::string_view("0000000"),
        std::string_view("JOSÉ ＳＩＴＩ"), std::string_view("a b c"),
        std::string_view("Q320101 XW32 XNsiti")}) {
    TextSearchRequest request;
    request.query = query;
    absl::StatusOr<TextSearchResult> result = index_->Search(request);
    EXPECT_THAT(result, AnyOf(IsOk(), StatusIs(absl::StatusCode::kInvalidArgument))) << query;
  }
  // Prefixed terms typed by a user are words like any other: no term injection.
  TextSearchRequest request;
  request.query = "XW32";
  absl::StatusOr<TextSearchResult> result = index_->Search(request);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->hits, IsEmpty());
}

TEST_F(TextIndexTest, EnqueueRefusesBadIdsAndRequiresStart) {
  TextIndexer indexer(*analyzer_, ManualCommits());
  EXPECT_THAT(indexer.Enqueue(Registry()), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(indexer.WaitIdle(), StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_THAT(indexer.Start(dir_), IsOk());
  EXPECT_THAT(indexer.Start(dir_), StatusIs(absl::StatusCode::kFailedPrecondition));
  std::vector<TextDocument> docs = Registry();
  docs[3].id_art.clear();
  absl::Status status = indexer.Enqueue(docs);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(status), "id_art");
  EXPECT_THAT(indexer.EnqueueDelete(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(indexer.progress().enqueued, 0u);
  EXPECT_THAT(indexer.Stop(), IsOk());
  EXPECT_THAT(indexer.Stop(), IsOk());
}

}  // namespace
}  // namespace padan
