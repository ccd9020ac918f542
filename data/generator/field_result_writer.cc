#include "data/generator/field_result_writer.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/csv_writer.h"
#include "data/generator/siks_ng_writer.h"
#include "data/json_string.h"

namespace padan::gen {
namespace {

// Spreadsheet users type a leading apostrophe so that Excel keeps all 16 digits; a share of
// PAPI entry files carry it.
constexpr uint64_t kApostropheEveryNth = 7;

std::string Digits16(uint64_t value) { return value == 0 ? std::string() : ZeroPadded(value, 16); }

// Field names are written in capitals, without titles, as on PAPI forms.
std::string FieldName(std::string_view nama) {
  std::string out(nama);
  absl::AsciiStrToUpper(&out);
  return out;
}

const FieldPerson* HeadOf(const FieldHousehold& h) {
  for (const FieldPerson& p : h.members) {
    if (p.status == StatusArt::kTinggal) return &p;
  }
  return &h.members.front();
}

int AgeAtInterview(const GenPerson& p) {
  int age = AgeAt(p.birth_days, EnumerationDays());
  return age < 0 ? 0 : age;
}

}  // namespace

std::string FieldRecordId(KodeWilayah desa, int no_urut_ruta, int no_art) {
  return StrCat(desa, "-", no_urut_ruta, "-", no_art);
}

int HubunganCode(Hubungan hubungan) {
  switch (hubungan) {
    case Hubungan::kKepalaKeluarga:
      return 1;
    case Hubungan::kIstriSuami:
      return 2;
    case Hubungan::kAnak:
      return 3;
    case Hubungan::kMenantu:
      return 4;
    case Hubungan::kCucu:
      return 5;
    case Hubungan::kOrangTua:
    case Hubungan::kMertua:
      return 6;
    case Hubungan::kPembantu:
      return 7;
    case Hubungan::kFamiliLain:
    case Hubungan::kLainnya:
    case Hubungan::kUnknown:
      return 8;
  }
  return 8;
}

int StatusKawinCode(StatusKawin status) {
  switch (status) {
    case StatusKawin::kBelumKawin:
      return 1;
    case StatusKawin::kKawin:
      return 2;
    case StatusKawin::kCeraiHidup:
      return 3;
    case StatusKawin::kCeraiMati:
      return 4;
    case StatusKawin::kUnknown:
      return 1;
  }
  return 1;
}

FieldResultWriter::FieldResultWriter(const RegionSampler& regions) : regions_(regions) {}

void FieldResultWriter::AppendPapi(const FieldHousehold& h, int no_urut_ruta,
                                   std::string* out) const {
  const DesaInfo& desa = regions_.desa()[h.desa];
  std::string desa_name(desa.nama);
  absl::AsciiStrToUpper(&desa_name);
  const std::string krt = FieldName(HeadOf(h)->person.nama);
  const std::string alamat = AddressGenerator::RenderAlamat(h.address, h.address_style);
  const bool apostrophe = h.order_key % kApostropheEveryNth == 0;
  for (size_t i = 0; i < h.members.size(); ++i) {
    const FieldPerson& f = h.members[i];
    const GenPerson& p = f.person;
    auto field = [out](std::string_view value) {
      AppendCsvField(value, out);
      out->push_back(',');
    };
    field(StrCat(desa.code));
    field(desa_name);
    field(StrCat(no_urut_ruta));
    field(krt);
    field(alamat);
    field(AddressGenerator::RenderRtRw(h.address.rt));
    field(AddressGenerator::RenderRtRw(h.address.rw));
    std::string no_kk = Digits16(h.no_kk);
    field(apostrophe && !no_kk.empty() ? StrCat("'", no_kk) : no_kk);
    field(StrCat(i + 1));
    field(FieldName(p.nama));
    std::string nik = Digits16(p.nik);
    field(apostrophe && !nik.empty() ? StrCat("'", nik) : nik);
    field(p.sex == Sex::kPerempuan ? "2" : "1");
    field(FormatDateDmy(p.birth_days, '/'));
    field(StrCat(AgeAtInterview(p)));
    field(StrCat(HubunganCode(p.hubungan)));
    field(StrCat(StatusKawinCode(p.status_kawin)));
    StrAppend(out, static_cast<int>(f.status), "\n");
  }
}

void FieldResultWriter::AppendCapi(const FieldHousehold& h, int no_urut_ruta,
                                   std::string* out) const {
  const DesaInfo& desa = regions_.desa()[h.desa];
  StrAppend(out, "{\"kode_desa\":\"", desa.code, "\",\"no_urut_ruta\":", no_urut_ruta,
            ",\"nama_krt\":");
  AppendJsonString(FieldName(HeadOf(h)->person.nama), out);
  out->append(",\"alamat\":");
  AppendJsonString(AddressGenerator::RenderAlamat(h.address, h.address_style), out);
  StrAppend(out, ",\"rt\":\"", AddressGenerator::RenderRtRw(h.address.rt), "\",\"rw\":\"",
            AddressGenerator::RenderRtRw(h.address.rw), "\",\"no_kk\":");
  AppendJsonString(Digits16(h.no_kk), out);
  StrAppend(out, ",\"tanggal_pencacahan\":\"", FormatDateIso(EnumerationDays()),
            "\",\"anggota\":[");
  for (size_t i = 0; i < h.members.size(); ++i) {
    const FieldPerson& f = h.members[i];
    const GenPerson& p = f.person;
    if (i > 0) out->push_back(',');
    StrAppend(out, "{\"no_art\":", i + 1, ",\"nama\":");
    AppendJsonString(FieldName(p.nama), out);
    out->append(",\"nik\":");
    AppendJsonString(Digits16(p.nik), out);
    StrAppend(out, ",\"jenis_kelamin\":\"", p.sex == Sex::kPerempuan ? "P" : "L",
              "\",\"tanggal_lahir\":\"", FormatDateIso(p.birth_days),
              "\",\"umur\":", AgeAtInterview(p), ",\"hubungan_krt\":", HubunganCode(p.hubungan),
              ",\"status_kawin\":", StatusKawinCode(p.status_kawin),
              ",\"status_art\":", static_cast<int>(f.status), "}");
  }
  out->append("]}\n");
}

}  // namespace padan::gen
