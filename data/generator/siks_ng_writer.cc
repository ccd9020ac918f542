#include "data/generator/siks_ng_writer.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/csv_writer.h"
#include "data/field_codes.h"
#include "data/generator/household_generator.h"

namespace padan::gen {
namespace {

// Abbreviated name tokens written with a full stop (Moch. Rizal, Abd. Rahman, St. Aminah).
constexpr std::array<std::string_view, 6> kAbbreviations = {"moch", "moh", "muh",
                                                            "mhd",  "abd", "st"};
// Particles that stay lower case in a mixed-case name ("Ahmad bin Yusuf", "Rosmawati br Siregar").
constexpr std::array<std::string_view, 3> kLowerParticles = {"bin", "binti", "br"};

template <size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view token) {
  for (std::string_view s : set) {
    if (s == token) return true;
  }
  return false;
}

void AppendToken(std::string_view token, NameCase name_case, std::string* out) {
  size_t start = out->size();
  out->append(token);
  if (name_case == NameCase::kUpper) {
    for (size_t i = start; i < out->size(); ++i) {
      (*out)[i] = absl::ascii_toupper(static_cast<unsigned char>((*out)[i]));
    }
  } else if (!In(kLowerParticles, token)) {
    (*out)[start] = absl::ascii_toupper(static_cast<unsigned char>((*out)[start]));
  }
  if (token.size() == 1 || In(kAbbreviations, token)) out->push_back('.');
}

}  // namespace

std::string RenderName(std::string_view nama, NameCase name_case, uint8_t title,
                       const TitleTable& titles) {
  std::string out;
  out.reserve(nama.size() + 12);
  const Title* t = title == TitleTable::kNone ? nullptr : &titles.Get(title);
  auto append_title = [&]() {
    if (name_case == NameCase::kUpper) {
      out.append(absl::AsciiStrToUpper(t->text));
    } else {
      out.append(t->text);
    }
  };
  if (t != nullptr && t->prefix) {
    append_title();
    out.push_back(' ');
  }
  size_t start = 0;
  bool first = true;
  while (start < nama.size()) {
    size_t end = nama.find(' ', start);
    if (end == std::string_view::npos) end = nama.size();
    if (end > start) {
      if (!first) out.push_back(' ');
      AppendToken(nama.substr(start, end - start), name_case, &out);
      first = false;
    }
    start = end + 1;
  }
  if (t != nullptr && !t->prefix) {
    out.append(", ");
    append_title();
  }
  return out;
}

void AppendZeroPadded(uint64_t value, int width, std::string* out) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (int i = n; i < width; ++i) out->push_back('0');
  while (n > 0) out->push_back(digits[--n]);
}

std::string ZeroPadded(uint64_t value, int width) {
  std::string out;
  AppendZeroPadded(value, width, &out);
  return out;
}

std::string FormatDateDmy(int32_t days, char separator) {
  int y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  std::string out;
  out.reserve(10);
  AppendZeroPadded(static_cast<uint64_t>(d), 2, &out);
  out.push_back(separator);
  AppendZeroPadded(static_cast<uint64_t>(m), 2, &out);
  out.push_back(separator);
  AppendZeroPadded(static_cast<uint64_t>(y), 4, &out);
  return out;
}

std::string FormatDateIso(int32_t days) {
  int y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  std::string out;
  out.reserve(10);
  AppendZeroPadded(static_cast<uint64_t>(y), 4, &out);
  out.push_back('-');
  AppendZeroPadded(static_cast<uint64_t>(m), 2, &out);
  out.push_back('-');
  AppendZeroPadded(static_cast<uint64_t>(d), 2, &out);
  return out;
}

SiksNgWriter::SiksNgWriter(const RegionSampler& regions, const TitleTable& titles)
    : regions_(regions), titles_(titles) {}

std::string SiksNgWriter::Birthplace(const GenPerson& person) const {
  std::string name = regions_.kab_kota()[person.birthplace].bare_name;
  // Officers write the capital as just "Jakarta".
  if (name.rfind("Jakarta ", 0) == 0) name.resize(7);
  if (person.birthplace_upper) absl::AsciiStrToUpper(&name);
  return name;
}

std::string SiksNgWriter::HouseholdColumns(const GenHousehold& h, std::string_view no_kk) const {
  const DesaInfo& desa = regions_.desa()[h.desa];
  const KabKotaInfo& kab = regions_.kab_kota()[desa.kab_kota];
  std::string out;
  out.reserve(160);
  for (std::string_view value :
       {desa.provinsi_nama, std::string_view(kab.nama), desa.kecamatan_nama, desa.nama}) {
    AppendCsvField(value, &out);
    out.push_back(',');
  }
  AppendCsvField(AddressGenerator::RenderAlamat(h.address, h.address_style), &out);
  out.push_back(',');
  AppendCsvField(AddressGenerator::RenderDusun(h.address, h.address_style), &out);
  out.push_back(',');
  AppendZeroPadded(h.address.rt, 3, &out);
  out.push_back(',');
  AppendZeroPadded(h.address.rw, 3, &out);
  out.push_back(',');
  out.append(no_kk);
  out.push_back(',');
  return out;
}

void SiksNgWriter::AppendRow(const GenPerson& p, std::string_view id_art,
                             std::string_view id_keluarga, std::string_view household_columns,
                             std::string_view nik, std::string* out) const {
  auto field = [out](std::string_view value) {
    AppendCsvField(value, out);
    out->push_back(',');
  };
  out->append(id_art);
  out->push_back(',');
  out->append(id_keluarga);
  out->push_back(',');
  out->append(household_columns);
  out->append(nik);
  out->push_back(',');
  field(RenderName(p.nama, p.name_case, p.title, titles_));
  out->append(FormatDateDmy(p.birth_days));
  out->push_back(',');
  field(Birthplace(p));
  out->append(p.sex == Sex::kPerempuan ? "Perempuan," : "Laki-laki,");
  field(RenderName(p.nama_ibu, p.name_case, TitleTable::kNone, titles_));
  field(HubunganLabel(p.hubungan));
  field(StatusKawinLabel(p.status_kawin));
  field(HouseholdGenerator::Occupations()[p.pekerjaan]);
  AppendCsvField(StatusHidupLabel(StatusHidup::kHidup), out);
  out->push_back('\n');
}

void SiksNgWriter::AppendTruthRow(std::string_view id_art, std::string_view cluster_id,
                                  std::string_view id_keluarga, bool duplicate,
                                  CorruptionSet corruptions, std::string* out) {
  StrAppend(out, id_art, ",", cluster_id, ",", id_keluarga, ",",
            duplicate ? "duplicate," : "original,");
  if (corruptions != 0) out->append(CorruptionSetNames(corruptions));
  out->push_back('\n');
}

}  // namespace padan::gen
