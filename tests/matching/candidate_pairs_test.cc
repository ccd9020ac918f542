#include "matching/candidate_pairs.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "matching/phonetic_key.h"

namespace padan {
namespace {

MatchRecord Record(std::string_view name, int year, uint64_t nik) {
  MatchRecord record;
  record.nama.canonical = std::string(name);
  size_t start = 0;
  std::vector<std::string> keys;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == ' ') {
      record.nama.token_spans.emplace_back(start, i - start);
      keys.push_back(PhoneticKey(name.substr(start, i - start)));
      start = i + 1;
    }
  }
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    record.nama.phonetic_sorted += (record.nama.phonetic_sorted.empty() ? "" : " ") + key;
  }
  if (year > 0) record.tanggal_lahir = Date::FromYear(year);
  record.nik = nik;
  return record;
}

bool HasPair(const std::vector<std::pair<uint32_t, uint32_t>>& pairs, uint32_t a, uint32_t b) {
  return std::binary_search(pairs.begin(), pairs.end(), std::make_pair(a, b));
}

TEST(CandidatePairsTest, PairsOnNikExactAndOneTypoAway) {
  std::vector<MatchRecord> records = {Record("budi", 0, 3201011705800003),
                                      Record("agus", 0, 3201011705800003),
                                      Record("joko", 0, 3201011705800008),
                                      Record("wati", 0, 3174051203770121)};
  auto pairs = CandidatePairs(records, CandidatePairOptions());
  EXPECT_TRUE(HasPair(pairs, 0, 1));
  EXPECT_TRUE(HasPair(pairs, 0, 2));
  EXPECT_TRUE(HasPair(pairs, 1, 2));
  EXPECT_FALSE(HasPair(pairs, 0, 3));
}

TEST(CandidatePairsTest, PairsOnAnyNameTokenSoundAndBirthYear) {
  std::vector<MatchRecord> records = {Record("siti aminah", 1980, 0),
                                      Record("aminah", 1980, 0),
                                      Record("siti rahayu", 1981, 0),
                                      Record("soekarno", 1950, 0),
                                      Record("sukarno", 1970, 0)};
  auto pairs = CandidatePairs(records, CandidatePairOptions());
  EXPECT_TRUE(HasPair(pairs, 0, 1));   // aminah, 1980
  EXPECT_FALSE(HasPair(pairs, 0, 2));  // siti, but another year
  // Whole-name sound key pairs across years.
  EXPECT_TRUE(HasPair(pairs, 3, 4));
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end()));
}

// A name that repeats a token files the record twice under one key; it is never paired
// with itself (which an evaluation would count as a found true pair).
TEST(CandidatePairsTest, NoRecordIsPairedWithItself) {
  std::vector<MatchRecord> records = {Record("ahmad ahmad", 1980, 0),
                                      Record("ahmad ahmad", 1980, 0)};
  std::vector<std::pair<uint32_t, uint32_t>> pairs = CandidatePairs(records, {});
  for (const auto& [a, b] : pairs) EXPECT_NE(a, b);
  EXPECT_TRUE(HasPair(pairs, 0, 1));
}

TEST(CandidatePairsTest, CommonKeysPairNothingBeyondTheCap) {
  std::vector<MatchRecord> records;
  for (int i = 0; i < 50; ++i) records.push_back(Record("siti", 1980, 0));
  CandidatePairOptions options;
  options.max_block_size = 10;
  EXPECT_TRUE(CandidatePairs(records, options).empty());
  options.max_block_size = 50;
  EXPECT_EQ(CandidatePairs(records, options).size(), 50u * 49 / 2);
}

}  // namespace
}  // namespace padan
