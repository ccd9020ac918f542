#include "index/mutation.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"

#include "data/absl_strings.h"
#include "data/date.h"
#include "data/status_macros.h"

namespace padan {
namespace {

// Encoding, version 1 (little-endian varints, LEB128 as in protobuf):
//   u8 version, u8 kind, str id_keluarga,
//   household: str id_keluarga, str no_kk, var no_kk_value, str alamat, str dusun, str rt,
//              str rw, var kode_wilayah, u8 desil, u8 program, u8 status, var updated_at.Pack(),
//              u8 flags
//   var member count, then per member: str id_art, str id_keluarga, str nik, var nik_value,
//              str nama, u8 jenis_kelamin, str tempat_lahir, var tanggal_lahir.Pack(),
//              str tanggal_lahir_text, u8 hubungan, str nama_ibu_kandung, u8 status_kawin,
//              str pekerjaan, str pendidikan, str disabilitas, u8 status_hidup, var flags
// where str = var length + bytes. Every field is written whatever the kind, so that
// Decode(Encode(m)) gives back m exactly.
constexpr uint8_t kFormatVersion = 1;

// Value ranges Decode accepts; they follow data/record.h.
constexpr uint64_t kMaxSixteenDigits = 9'999'999'999'999'999;  // nik_value, no_kk_value
constexpr uint64_t kMaxKodeWilayah = 9'999'999'999;            // 10-digit desa code
constexpr uint8_t kMaxDesil = 10;
constexpr uint8_t kProgramMask = 0x7f;        // Program bits kPkh..kListrik
constexpr uint8_t kHouseholdFlagMask = 0x1f;  // HouseholdFlag bits
constexpr uint16_t kPersonFlagMask = 0x1ff;   // PersonFlag bits
constexpr uint8_t kMaxSex = static_cast<uint8_t>(Sex::kPerempuan);
constexpr uint8_t kMaxHubungan = static_cast<uint8_t>(Hubungan::kLainnya);
constexpr uint8_t kMaxStatusKawin = static_cast<uint8_t>(StatusKawin::kCeraiMati);
constexpr uint8_t kMaxStatusHidup = static_cast<uint8_t>(StatusHidup::kMeninggal);
constexpr uint8_t kMaxHouseholdStatus = static_cast<uint8_t>(HouseholdStatus::kNonaktif);
// A u64 varint takes at most 10 bytes (7 bits each).
constexpr int kMaxVarintBytes = 10;

void PutU8(std::string* out, uint8_t value) { out->push_back(static_cast<char>(value)); }

void PutVarint(std::string* out, uint64_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void PutString(std::string* out, std::string_view value) {
  PutVarint(out, value.size());
  out->append(value);
}

void PutHousehold(std::string* out, const Household& h) {
  PutString(out, h.id_keluarga);
  PutString(out, h.no_kk);
  PutVarint(out, h.no_kk_value);
  PutString(out, h.alamat);
  PutString(out, h.dusun);
  PutString(out, h.rt);
  PutString(out, h.rw);
  PutVarint(out, h.kode_wilayah);
  PutU8(out, h.desil);
  PutU8(out, h.program);
  PutU8(out, static_cast<uint8_t>(h.status));
  PutVarint(out, h.updated_at.Pack());
  PutU8(out, h.flags);
}

void PutPerson(std::string* out, const Person& p) {
  PutString(out, p.id_art);
  PutString(out, p.id_keluarga);
  PutString(out, p.nik);
  PutVarint(out, p.nik_value);
  PutString(out, p.nama);
  PutU8(out, static_cast<uint8_t>(p.jenis_kelamin));
  PutString(out, p.tempat_lahir);
  PutVarint(out, p.tanggal_lahir.Pack());
  PutString(out, p.tanggal_lahir_text);
  PutU8(out, static_cast<uint8_t>(p.hubungan));
  PutString(out, p.nama_ibu_kandung);
  PutU8(out, static_cast<uint8_t>(p.status_kawin));
  PutString(out, p.pekerjaan);
  PutString(out, p.pendidikan);
  PutString(out, p.disabilitas);
  PutU8(out, static_cast<uint8_t>(p.status_hidup));
  PutVarint(out, p.flags);
}

// Reads the encoding front to back; every read checks the bytes left and the value's range
// and names the field in its kDataLoss error.
class Decoder {
 public:
  explicit Decoder(std::string_view bytes) : bytes_(bytes) {}

  size_t remaining() const { return bytes_.size() - pos_; }
  size_t position() const { return pos_; }

  absl::Status U8(std::string_view field, uint8_t max, uint8_t* value) {
    if (remaining() < 1) return Truncated(field);
    const auto byte = static_cast<uint8_t>(bytes_[pos_]);
    if (byte > max) return Bad(field, StrCat("value ", byte, " above the largest, ", max));
    ++pos_;
    *value = byte;
    return absl::OkStatus();
  }

  // A byte of flag bits, all within `mask`.
  absl::Status Bits8(std::string_view field, uint8_t mask, uint8_t* value) {
    if (remaining() < 1) return Truncated(field);
    const auto byte = static_cast<uint8_t>(bytes_[pos_]);
    if ((byte & ~mask) != 0) return Bad(field, StrCat("unknown bits in ", byte));
    ++pos_;
    *value = byte;
    return absl::OkStatus();
  }

  absl::Status Varint(std::string_view field, uint64_t max, uint64_t* value) {
    uint64_t result = 0;
    for (int i = 0; i < kMaxVarintBytes; ++i) {
      if (remaining() < 1) return Truncated(field);
      const auto byte = static_cast<uint8_t>(bytes_[pos_++]);
      // The tenth byte holds bit 63 only.
      if (i == kMaxVarintBytes - 1 && byte > 1) return Bad(field, "varint overflows 64 bits");
      result |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
      if ((byte & 0x80) == 0) {
        // A zero last byte after the first adds nothing: Encode never writes one, and
        // accepting it would give one mutation two encodings.
        if (i > 0 && byte == 0) return Bad(field, "varint with a redundant zero byte");
        if (result > max) return Bad(field, StrCat("value ", result, " above the largest, ", max));
        *value = result;
        return absl::OkStatus();
      }
    }
    return Bad(field, "varint longer than 10 bytes");
  }

  absl::Status String(std::string_view field, std::string* value) {
    uint64_t size = 0;
    PADAN_RETURN_IF_ERROR(Varint(field, UINT64_MAX, &size));
    if (size > remaining()) {
      return Bad(field, StrCat("length ", size, " beyond the end (", remaining(), " bytes left)"));
    }
    value->assign(bytes_.substr(pos_, size));
    pos_ += size;
    return absl::OkStatus();
  }

  // A Date as Date::Pack() writes it: canonical, partial dates on the first day of their
  // year or month, years within Date's range.
  absl::Status PackedDate(std::string_view field, Date* value) {
    uint64_t packed = 0;
    PADAN_RETURN_IF_ERROR(Varint(field, UINT32_MAX, &packed));
    const Date date = Date::Unpack(static_cast<uint32_t>(packed));
    if (date.Pack() != packed) return Bad(field, StrCat("non-canonical date code ", packed));
    if (!date.missing()) {
      int year = 0, month = 0, day = 0;
      CivilFromDays(date.days(), &year, &month, &day);
      if (year < Date::kMinYear || year > Date::kMaxYear) {
        return Bad(field, StrCat("year ", year, " outside ", Date::kMinYear, "-", Date::kMaxYear));
      }
      if ((date.precision() < DatePrecision::kDay && day != 1) ||
          (date.precision() < DatePrecision::kMonth && month != 1)) {
        return Bad(field, "partial date not on the first day of its period");
      }
    }
    *value = date;
    return absl::OkStatus();
  }

  template <typename Enum>
  absl::Status EnumU8(std::string_view field, uint8_t max, Enum* value) {
    uint8_t byte = 0;
    PADAN_RETURN_IF_ERROR(U8(field, max, &byte));
    *value = static_cast<Enum>(byte);
    return absl::OkStatus();
  }

  absl::Status Bad(std::string_view field, std::string_view what) const {
    return absl::DataLossError(
        StrCat("invalid mutation encoding: ", field, " at byte ", pos_, ": ", what));
  }

 private:
  absl::Status Truncated(std::string_view field) const {
    return Bad(field, "input ends too early");
  }

  std::string_view bytes_;
  size_t pos_ = 0;
};

absl::Status DecodeHousehold(Decoder& d, Household* h) {
  PADAN_RETURN_IF_ERROR(d.String("household.id_keluarga", &h->id_keluarga));
  PADAN_RETURN_IF_ERROR(d.String("household.no_kk", &h->no_kk));
  PADAN_RETURN_IF_ERROR(d.Varint("household.no_kk_value", kMaxSixteenDigits, &h->no_kk_value));
  PADAN_RETURN_IF_ERROR(d.String("household.alamat", &h->alamat));
  PADAN_RETURN_IF_ERROR(d.String("household.dusun", &h->dusun));
  PADAN_RETURN_IF_ERROR(d.String("household.rt", &h->rt));
  PADAN_RETURN_IF_ERROR(d.String("household.rw", &h->rw));
  PADAN_RETURN_IF_ERROR(d.Varint("household.kode_wilayah", kMaxKodeWilayah, &h->kode_wilayah));
  PADAN_RETURN_IF_ERROR(d.U8("household.desil", kMaxDesil, &h->desil));
  PADAN_RETURN_IF_ERROR(d.Bits8("household.program", kProgramMask, &h->program));
  PADAN_RETURN_IF_ERROR(d.EnumU8("household.status", kMaxHouseholdStatus, &h->status));
  PADAN_RETURN_IF_ERROR(d.PackedDate("household.updated_at", &h->updated_at));
  PADAN_RETURN_IF_ERROR(d.Bits8("household.flags", kHouseholdFlagMask, &h->flags));
  return absl::OkStatus();
}

absl::Status DecodePerson(Decoder& d, Person* p) {
  PADAN_RETURN_IF_ERROR(d.String("member.id_art", &p->id_art));
  PADAN_RETURN_IF_ERROR(d.String("member.id_keluarga", &p->id_keluarga));
  PADAN_RETURN_IF_ERROR(d.String("member.nik", &p->nik));
  PADAN_RETURN_IF_ERROR(d.Varint("member.nik_value", kMaxSixteenDigits, &p->nik_value));
  PADAN_RETURN_IF_ERROR(d.String("member.nama", &p->nama));
  PADAN_RETURN_IF_ERROR(d.EnumU8("member.jenis_kelamin", kMaxSex, &p->jenis_kelamin));
  PADAN_RETURN_IF_ERROR(d.String("member.tempat_lahir", &p->tempat_lahir));
  PADAN_RETURN_IF_ERROR(d.PackedDate("member.tanggal_lahir", &p->tanggal_lahir));
  PADAN_RETURN_IF_ERROR(d.String("member.tanggal_lahir_text", &p->tanggal_lahir_text));
  PADAN_RETURN_IF_ERROR(d.EnumU8("member.hubungan", kMaxHubungan, &p->hubungan));
  PADAN_RETURN_IF_ERROR(d.String("member.nama_ibu_kandung", &p->nama_ibu_kandung));
  PADAN_RETURN_IF_ERROR(d.EnumU8("member.status_kawin", kMaxStatusKawin, &p->status_kawin));
  PADAN_RETURN_IF_ERROR(d.String("member.pekerjaan", &p->pekerjaan));
  PADAN_RETURN_IF_ERROR(d.String("member.pendidikan", &p->pendidikan));
  PADAN_RETURN_IF_ERROR(d.String("member.disabilitas", &p->disabilitas));
  PADAN_RETURN_IF_ERROR(d.EnumU8("member.status_hidup", kMaxStatusHidup, &p->status_hidup));
  uint64_t flags = 0;
  // The PersonFlag bits are contiguous from bit 0, so the mask is also the largest value.
  PADAN_RETURN_IF_ERROR(d.Varint("member.flags", kPersonFlagMask, &flags));
  p->flags = static_cast<uint16_t>(flags);
  return absl::OkStatus();
}

}  // namespace

std::string Mutation::Encode() const {
  std::string out;
  PutU8(&out, kFormatVersion);
  PutU8(&out, static_cast<uint8_t>(kind));
  PutString(&out, id_keluarga);
  PutHousehold(&out, household);
  PutVarint(&out, members.size());
  for (const Person& person : members) PutPerson(&out, person);
  return out;
}

absl::StatusOr<Mutation> Mutation::Decode(std::string_view bytes) {
  Decoder d(bytes);
  uint8_t version = 0;
  PADAN_RETURN_IF_ERROR(d.U8("version", UINT8_MAX, &version));
  if (version != kFormatVersion) {
    return absl::DataLossError(StrCat("invalid mutation encoding: unknown format version ", version,
                                      " (this build reads ", kFormatVersion, ")"));
  }
  Mutation mutation;
  uint8_t kind = 0;
  PADAN_RETURN_IF_ERROR(d.U8("kind", static_cast<uint8_t>(Kind::kDeleteHousehold), &kind));
  if (kind < static_cast<uint8_t>(Kind::kUpsertHousehold)) return d.Bad("kind", "kind 0");
  mutation.kind = static_cast<Kind>(kind);
  PADAN_RETURN_IF_ERROR(d.String("id_keluarga", &mutation.id_keluarga));
  PADAN_RETURN_IF_ERROR(DecodeHousehold(d, &mutation.household));
  uint64_t count = 0;
  // Every member takes at least one byte, so a count above the bytes left is corrupt; the
  // check also bounds the reservation below.
  PADAN_RETURN_IF_ERROR(d.Varint("member count", d.remaining(), &count));
  mutation.members.resize(count);
  for (Person& person : mutation.members) PADAN_RETURN_IF_ERROR(DecodePerson(d, &person));
  if (d.remaining() != 0) return d.Bad("end", StrCat(d.remaining(), " trailing bytes"));
  return mutation;
}

}  // namespace padan
