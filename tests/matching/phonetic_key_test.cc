#include "matching/phonetic_key.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace padan {
namespace {

// Spellings of one spoken name: every member of a group must share a key.
const std::vector<std::vector<std::string>> kSameName = {
    {"achmad", "akhmad", "ahmad"},
    {"rahmat", "rahmad", "rachmat"},
    {"soekarno", "sukarno"},
    {"djoko", "joko"},
    {"tjahjo", "cahyo"},
    {"sjamsul", "syamsul"},
    {"njoman", "nyoman"},
    {"yusuf", "jusuf", "yusup"},
    {"siti", "sitti", "sity"},
    {"fatimah", "fatima"},
    {"aminah", "amina"},
    {"zainal", "jainal"},
    {"nurhayati", "nurhayaty"},
    {"wahyudi", "wahyudy"},
    {"ayub", "ayup"},
    {"umar", "omar"},
    {"erwin", "irwin"},
    {"khadijah", "kadijah"},
    {"syarifah", "sarifah"},
    {"vivi", "fifi", "pipi"},
    {"muhammad", "muhamad"},
};

// Different names that must keep different keys.
const std::vector<std::pair<std::string, std::string>> kDifferentNames = {
    {"budi", "badi"},     {"siti", "santi"},    {"agus", "bagus"},    {"rahmat", "rohmat"},
    {"ani", "ana"},       {"dewi", "dedi"},     {"sri", "suri"},      {"eko", "eka"},
    {"wati", "watin"},    {"yanti", "santi"},   {"nur", "nuri"},      {"joko", "jaka"},
    {"hasan", "husin"},   {"putri", "putra"},   {"ahmad", "hamid"},   {"iwan", "irwan"},
};

TEST(PhoneticKeyTest, SpellingVariantsShareAKey) {
  for (const std::vector<std::string>& group : kSameName) {
    std::string key = PhoneticKey(group[0]);
    for (const std::string& variant : group) {
      EXPECT_EQ(PhoneticKey(variant), key) << group[0] << " vs " << variant;
    }
  }
}

TEST(PhoneticKeyTest, DifferentNamesKeepDifferentKeys) {
  for (const auto& [a, b] : kDifferentNames) {
    EXPECT_NE(PhoneticKey(a), PhoneticKey(b)) << a << " vs " << b;
  }
}

TEST(PhoneticKeyTest, ExactKeys) {
  EXPECT_EQ(PhoneticKey("muhammad"), "MUHAMAT");
  EXPECT_EQ(PhoneticKey("nyoman"), "QUMAN");
  EXPECT_EQ(PhoneticKey("bangun"), "BANUN");
  EXPECT_EQ(PhoneticKey(""), "");
  EXPECT_EQ(PhoneticKey("h"), "");
}

TEST(PhoneticKeyTest, IgnoresCase) { EXPECT_EQ(PhoneticKey("SOEKARNO"), PhoneticKey("sukarno")); }

}  // namespace
}  // namespace padan
