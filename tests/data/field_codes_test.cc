#include "data/field_codes.h"

#include "gtest/gtest.h"

namespace padan {
namespace {

TEST(FieldCodesTest, ParsesSexInEveryForm) {
  for (const char* text : {"L", "l", "Laki-laki", "LAKI - LAKI", "laki laki", "1", "Pria", "LK"}) {
    EXPECT_EQ(ParseSex(text), Sex::kLakiLaki) << text;
  }
  for (const char* text : {"P", "Perempuan", "PEREMPUAN", "2", "Wanita", "PR"}) {
    EXPECT_EQ(ParseSex(text), Sex::kPerempuan) << text;
  }
  EXPECT_EQ(ParseSex(""), std::nullopt);
  EXPECT_EQ(ParseSex("X"), std::nullopt);
  EXPECT_EQ(ParseSex("3"), std::nullopt);
}

TEST(FieldCodesTest, ParsesHubunganLabels) {
  EXPECT_EQ(ParseHubungan("Kepala Keluarga"), Hubungan::kKepalaKeluarga);
  EXPECT_EQ(ParseHubungan("KEPALA RUMAH TANGGA"), Hubungan::kKepalaKeluarga);
  EXPECT_EQ(ParseHubungan("Istri"), Hubungan::kIstriSuami);
  EXPECT_EQ(ParseHubungan("Istri/Suami"), Hubungan::kIstriSuami);
  EXPECT_EQ(ParseHubungan("anak"), Hubungan::kAnak);
  EXPECT_EQ(ParseHubungan("Famili Lain"), Hubungan::kFamiliLain);
  EXPECT_EQ(ParseHubungan("Orang Tua/Mertua"), Hubungan::kOrangTua);
  EXPECT_EQ(ParseHubungan("tetangga"), std::nullopt);
}

TEST(FieldCodesTest, ParsesHubunganCodesInBothSchemes) {
  EXPECT_EQ(ParseHubungan("1"), Hubungan::kKepalaKeluarga);
  EXPECT_EQ(ParseHubungan("6"), Hubungan::kOrangTua);
  EXPECT_EQ(ParseHubungan("7"), Hubungan::kPembantu);
  EXPECT_EQ(ParseHubungan("9"), std::nullopt);
  EXPECT_EQ(ParseHubungan("3", HubunganCodes::kShdk), Hubungan::kIstriSuami);
  EXPECT_EQ(ParseHubungan("8", HubunganCodes::kShdk), Hubungan::kMertua);
  EXPECT_EQ(ParseHubungan("11", HubunganCodes::kShdk), Hubungan::kLainnya);
  EXPECT_EQ(ParseHubungan("12", HubunganCodes::kShdk), std::nullopt);
}

TEST(FieldCodesTest, LabelsRoundTrip) {
  for (int i = 1; i <= static_cast<int>(Hubungan::kLainnya); ++i) {
    auto hubungan = static_cast<Hubungan>(i);
    EXPECT_EQ(ParseHubungan(HubunganLabel(hubungan)), hubungan) << HubunganLabel(hubungan);
  }
  for (int i = 1; i <= static_cast<int>(StatusKawin::kCeraiMati); ++i) {
    auto status = static_cast<StatusKawin>(i);
    EXPECT_EQ(ParseStatusKawin(StatusKawinLabel(status)), status);
  }
  EXPECT_EQ(ParseSex(SexCode(Sex::kLakiLaki)), Sex::kLakiLaki);
  EXPECT_EQ(ParseSex(SexCode(Sex::kPerempuan)), Sex::kPerempuan);
  EXPECT_EQ(ParseStatusHidup(StatusHidupLabel(StatusHidup::kMeninggal)), StatusHidup::kMeninggal);
  EXPECT_EQ(ParseHouseholdStatus(HouseholdStatusLabel(HouseholdStatus::kNonaktif)),
            HouseholdStatus::kNonaktif);
}

TEST(FieldCodesTest, ParsesProgramLists) {
  EXPECT_EQ(ParseProgramSet("PKH, BPNT"),
            static_cast<ProgramSet>(static_cast<int>(Program::kPkh) |
                                    static_cast<int>(Program::kBpnt)));
  EXPECT_EQ(ParseProgramSet("PBI-JK;KIP-Kuliah"),
            static_cast<ProgramSet>(static_cast<int>(Program::kPbiJk) |
                                    static_cast<int>(Program::kKipKuliah)));
  EXPECT_EQ(ParseProgramSet(""), ProgramSet{0});
  EXPECT_EQ(ParseProgramSet("PKH;Bantuan Rumah"), std::nullopt);
  ProgramSet all = 0x7f;
  EXPECT_EQ(ParseProgramSet(ProgramSetLabel(all)), all);
}

TEST(FieldCodesTest, OverlongTextIsUnknownNotOverflow) {
  std::string long_text(1000, 'a');
  EXPECT_EQ(ParseSex(long_text), std::nullopt);
  EXPECT_EQ(ParseHubungan(long_text), std::nullopt);
}

}  // namespace
}  // namespace padan
