#include "server/request_json.h"

#include "re2/re2.h"
#include <simdjson.h>

#include "data/absl_strings.h"
#include "data/date.h"
#include "data/field_codes.h"
#include "data/field_error.h"
#include "data/nik.h"

namespace padan {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Patterns of DESIGN §3, whole-value matches.
const RE2& SixteenDigits() {
  static const RE2 pattern("[0-9]{16}");
  return pattern;
}
// A NIK or No KK a write may carry: digits, 16 for a valid one. The registry keeps the ones of
// another length that imports bring (flagged invalid, `wrong_length`; DTKS holds millions), so
// a household read from it must be writable back as read: refusing them would make a client
// drop a member's NIK to change the household's address.
const RE2& StoredIdDigits() {
  static const RE2 pattern("[0-9]{1,32}");
  return pattern;
}
// The pattern and its wording for an id number: a query's must be whole (it is looked up).
const RE2& IdDigits(bool write) { return write ? StoredIdDigits() : SixteenDigits(); }
std::string_view IdDigitsWording(bool write) {
  return write ? "digits (16 for a valid one)" : "16 digits";
}
const RE2& IsoDate() {  // partial dates allowed: 1980, 1980-05, 1980-05-17
  static const RE2 pattern("[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?");
  return pattern;
}
const RE2& RtRw() {
  static const RE2 pattern("[0-9]{1,4}");
  return pattern;
}
const RE2& RegionCode() {
  static const RE2 pattern("[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}");
  return pattern;
}

// One parser per thread (simdjson parsers are not thread-safe, and reusing one keeps its
// buffers warm). Its documents are valid until the thread's next parse: nothing here keeps a
// view past the function that parsed.
simdjson::dom::parser& ThreadParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

absl::StatusOr<object> ParseObject(std::string_view body, std::string_view what) {
  element root;
  simdjson::error_code error = ThreadParser().parse(body.data(), body.size()).get(root);
  if (error == simdjson::UTF8_ERROR) return InvalidField(what, "is not valid UTF-8");
  if (error == simdjson::EMPTY) return InvalidField(what, "is empty; expected a JSON object");
  if (error) {
    return InvalidField(what, StrCat("is not valid JSON (", simdjson::error_message(error), ")"));
  }
  object result;
  if (root.get(result)) return InvalidField(what, "must be a JSON object");
  return result;
}

std::string Qualified(std::string_view prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : StrCat(prefix, ".", name);
}

absl::Status ReadText(element value, const std::string& field, std::string* out) {
  std::string_view text;
  if (value.get(text)) return InvalidField(field, "must be a string");
  if (text.size() > kMaxTextBytes) {
    return InvalidField(field, StrCat("is longer than ", kMaxTextBytes, " bytes"));
  }
  *out = std::string(text);
  return absl::OkStatus();
}

absl::Status ReadPattern(element value, const std::string& field, const RE2& pattern,
                         std::string_view expected, std::string* out) {
  std::string_view text;
  if (value.get(text)) return InvalidField(field, StrCat("must be a string of ", expected));
  if (!text.empty() && !RE2::FullMatch(text, pattern)) {
    return InvalidField(field, StrCat("must be ", expected));
  }
  *out = std::string(text);
  return absl::OkStatus();
}

absl::Status ReadDate(element value, const std::string& field, Date* out) {
  std::string text;
  absl::Status status =
      ReadPattern(value, field, IsoDate(), "a date YYYY-MM-DD (or YYYY, YYYY-MM)", &text);
  if (!status.ok()) return status;
  absl::StatusOr<Date> date = Date::Parse(text, DateFormat::kYmd);
  if (!date.ok()) return InvalidField(field, FromAbsl(date.status().message()));
  *out = *date;
  return absl::OkStatus();
}

template <typename T>
absl::Status ReadCode(element value, const std::string& field,
                      std::optional<T> (*parse)(std::string_view), std::string_view allowed,
                      T* out) {
  std::string_view text;
  if (value.get(text)) return InvalidField(field, "must be a string");
  if (text.empty()) return absl::OkStatus();
  std::optional<T> parsed = parse(text);
  if (!parsed.has_value()) return InvalidField(field, StrCat("must be one of ", allowed));
  *out = *parsed;
  return absl::OkStatus();
}

std::optional<Hubungan> ParseHubunganDtks(std::string_view text) { return ParseHubungan(text); }

absl::Status ReadNik(element value, const std::string& field, bool write,
                     const RegionTable* regions, Person* person) {
  std::string digits;
  absl::Status status = ReadPattern(value, field, IdDigits(write), IdDigitsWording(write), &digits);
  if (!status.ok()) return status;
  if (digits.empty()) {
    person->flags |= kPersonNikMissing;
    return absl::OkStatus();
  }
  IdParse parsed = Nik::Parse(digits, regions);
  person->nik = parsed.digits;
  person->nik_value = parsed.value;
  if (!parsed.valid()) person->flags |= kPersonNikInvalid;
  return absl::OkStatus();
}

// Reads a person member; returns false when `name` is no person field.
absl::StatusOr<bool> ReadPersonField(std::string_view name, element value, const std::string& field,
                                     bool write, const RegionTable* regions, Person* person) {
  absl::Status status;
  if (name == "id_art") {
    status = ReadText(value, field, &person->id_art);
  } else if (name == "id_keluarga") {
    status = ReadText(value, field, &person->id_keluarga);
  } else if (name == "nik") {
    status = ReadNik(value, field, write, regions, person);
  } else if (name == "nama") {
    status = ReadText(value, field, &person->nama);
  } else if (name == "jenis_kelamin") {
    std::string text;
    static const RE2 kSex("[LP]");
    status = ReadPattern(value, field, kSex, "\"L\" or \"P\"", &text);
    if (status.ok() && !text.empty())
      person->jenis_kelamin = text == "L" ? Sex::kLakiLaki : Sex::kPerempuan;
  } else if (name == "tempat_lahir") {
    status = ReadText(value, field, &person->tempat_lahir);
  } else if (name == "tanggal_lahir") {
    status = ReadDate(value, field, &person->tanggal_lahir);
  } else if (name == "hubungan") {
    status = ReadCode<Hubungan>(
        value, field, &ParseHubunganDtks,
        "a DTKS hubungan code 1-8 or label (\"Kepala Keluarga\", \"Anak\"...)", &person->hubungan);
  } else if (name == "nama_ibu_kandung") {
    status = ReadText(value, field, &person->nama_ibu_kandung);
  } else if (name == "status_kawin") {
    status =
        ReadCode<StatusKawin>(value, field, &ParseStatusKawin,
                              "Belum Kawin, Kawin, Cerai Hidup, Cerai Mati", &person->status_kawin);
  } else if (name == "pekerjaan") {
    status = ReadText(value, field, &person->pekerjaan);
  } else if (name == "pendidikan") {
    status = ReadText(value, field, &person->pendidikan);
  } else if (name == "disabilitas") {
    status = ReadText(value, field, &person->disabilitas);
  } else if (name == "status_hidup") {
    status = ReadCode<StatusHidup>(value, field, &ParseStatusHidup, "Hidup, Meninggal",
                                   &person->status_hidup);
  } else {
    return false;
  }
  if (!status.ok()) return status;
  return true;
}

// Reads a household member of the body; returns false when `name` is no household field.
// `write` requires a full 10-digit desa code.
absl::StatusOr<bool> ReadHouseholdField(std::string_view name, element value,
                                        const std::string& field, bool write,
                                        const RegionTable* regions, Household* household) {
  absl::Status status;
  if (name == "id_keluarga") {
    status = ReadText(value, field, &household->id_keluarga);
  } else if (name == "no_kk") {
    std::string digits;
    status = ReadPattern(value, field, IdDigits(write), IdDigitsWording(write), &digits);
    if (status.ok()) {
      if (digits.empty()) {
        household->flags |= kHouseholdNoKkMissing;
      } else {
        IdParse parsed = NoKk::Parse(digits, regions);
        household->no_kk = parsed.digits;
        household->no_kk_value = parsed.value;
        if (!parsed.valid()) household->flags |= kHouseholdNoKkInvalid;
      }
    }
  } else if (name == "alamat") {
    status = ReadText(value, field, &household->alamat);
  } else if (name == "dusun") {
    status = ReadText(value, field, &household->dusun);
  } else if (name == "rt" || name == "rw") {
    status = ReadPattern(value, field, RtRw(), "1 to 4 digits",
                         name == "rt" ? &household->rt : &household->rw);
  } else if (name == "kode_wilayah") {
    std::string text;
    status = ReadPattern(value, field, RegionCode(),
                         write ? "a 10-digit desa code" : "a region code of 2, 4, 6 or 10 digits",
                         &text);
    if (status.ok() && !text.empty()) {
      if (write && text.size() != 10) return InvalidField(field, "must be a 10-digit desa code");
      // The pattern admits digits that are no code ("0689890558": provinces are 11-96).
      absl::StatusOr<KodeWilayah> code = ParseKodeWilayah(text);
      if (!code.ok()) return InvalidField(field, "is no Kemendagri region code");
      household->kode_wilayah = *code;
    }
  } else if (name == "desil") {
    int64_t desil;
    if (value.get(desil) || desil < 0 || desil > 10) {
      return InvalidField(field, "must be an integer 1-10 (0: unknown)");
    }
    household->desil = static_cast<uint8_t>(desil);
  } else if (name == "program") {
    array list;
    if (value.get(list)) return InvalidField(field, "must be an array of programme names");
    for (element item : list) {
      std::string_view text;
      std::optional<ProgramSet> program;
      if (item.get(text) || !(program = ParseProgramSet(text)).has_value()) {
        return InvalidField(field,
                            "items must be PKH, BPNT, PBI-JK, PIP, KIP-Kuliah, BST or listrik");
      }
      household->program |= *program;
    }
  } else if (name == "status") {
    std::string_view text;
    std::optional<HouseholdStatus> parsed;
    if (value.get(text) || !(parsed = ParseHouseholdStatus(text)).has_value()) {
      return InvalidField(field, "must be \"aktif\" or \"nonaktif\"");
    }
    household->status = *parsed;
  } else if (name == "updated_at") {
    status = ReadDate(value, field, &household->updated_at);
  } else {
    return false;
  }
  if (!status.ok()) return status;
  return true;
}

absl::Status ReadLimit(element value, size_t* limit) {
  int64_t number;
  if (value.get(number) || number < 1 || number > static_cast<int64_t>(kMaxMatchLimit)) {
    return InvalidField("limit", StrCat("must be an integer 1-", kMaxMatchLimit));
  }
  *limit = static_cast<size_t>(number);
  return absl::OkStatus();
}

// The fields of one match query object; "limit" and "wilayah" only when `top_level`.
absl::StatusOr<MatchRequest> ReadMatchObject(object fields, std::string_view prefix,
                                             bool top_level) {
  MatchRequest request;
  for (auto member : fields) {
    std::string_view name = member.key;
    std::string field = Qualified(prefix, name);
    if (top_level && name == "limit") {
      if (absl::Status s = ReadLimit(member.value, &request.limit); !s.ok()) return s;
      continue;
    }
    if (top_level && name == "wilayah") {
      if (absl::Status s = ReadPattern(member.value, field, RegionCode(),
                                       "a region code of 2, 4, 6 or 10 digits", &request.wilayah);
          !s.ok()) {
        return s;
      }
      continue;
    }
    if (name == "id_keluarga") return InvalidField(field, "unknown field");
    absl::StatusOr<bool> known =
        ReadPersonField(name, member.value, field, /*write=*/false, nullptr, &request.query.person);
    if (!known.ok()) return known.status();
    if (*known) continue;
    if (name == "no_kk" || name == "alamat" || name == "kode_wilayah" || name == "dusun" ||
        name == "rt" || name == "rw") {
      known =
          ReadHouseholdField(name, member.value, field, false, nullptr, &request.query.household);
      if (!known.ok()) return known.status();
      continue;
    }
    return InvalidField(field, "unknown field");
  }
  const Person& person = request.query.person;
  if (person.nama.empty() && person.nik.empty()) {
    return InvalidField(prefix.empty() ? "nama" : Qualified(prefix, "nama"),
                        "a match query needs nama or nik");
  }
  return request;
}

}  // namespace

absl::StatusOr<MatchRequest> ParseMatchRequest(std::string_view body) {
  absl::StatusOr<object> root = ParseObject(body, "body");
  if (!root.ok()) return root.status();
  return ReadMatchObject(*root, "", true);
}

absl::StatusOr<std::vector<MatchRequest>> ParseMatchBatch(std::string_view body,
                                                          size_t max_records) {
  absl::StatusOr<object> root = ParseObject(body, "body");
  if (!root.ok()) return root.status();
  size_t limit = kDefaultMatchLimit;
  std::string wilayah;
  std::vector<MatchRequest> requests;
  bool has_records = false;
  for (auto member : *root) {
    std::string_view name = member.key;
    if (name == "limit") {
      if (absl::Status s = ReadLimit(member.value, &limit); !s.ok()) return s;
    } else if (name == "wilayah") {
      if (absl::Status s = ReadPattern(member.value, "wilayah", RegionCode(),
                                       "a region code of 2, 4, 6 or 10 digits", &wilayah);
          !s.ok()) {
        return s;
      }
    } else if (name == "records") {
      array list;
      if (member.value.get(list)) return InvalidField("records", "must be an array");
      if (list.size() == 0 || list.size() > max_records) {
        return InvalidField("records", StrCat("must hold 1 to ", max_records, " records"));
      }
      has_records = true;
      size_t index = 0;
      for (element item : list) {
        std::string prefix = StrCat("records[", index, "]");
        object fields;
        if (item.get(fields)) return InvalidField(prefix, "must be an object");
        absl::StatusOr<MatchRequest> request = ReadMatchObject(fields, prefix, false);
        if (!request.ok()) return request.status();
        requests.push_back(*std::move(request));
        ++index;
      }
    } else {
      return InvalidField(name, "unknown field");
    }
  }
  if (!has_records) return InvalidField("records", "is required");
  for (MatchRequest& request : requests) {
    request.limit = limit;
    request.wilayah = wilayah;
  }
  return requests;
}

namespace {

absl::StatusOr<HouseholdBody> ReadHouseholdObject(object fields, IdRule ids,
                                                  const RegionTable& regions, bool allow_op) {
  HouseholdBody result;
  bool write = ids == IdRule::kRequired;
  bool has_region = false;
  for (auto member : fields) {
    std::string_view name = member.key;
    if (allow_op && name == "op") continue;  // checked by the caller
    if (name == "anggota") {
      array list;
      if (member.value.get(list)) return InvalidField("anggota", "must be an array of persons");
      if (list.size() > kMaxMembers) {
        return InvalidField("anggota", StrCat("at most ", kMaxMembers, " members"));
      }
      size_t index = 0;
      for (element item : list) {
        std::string prefix = StrCat("anggota[", index, "]");
        object person_fields;
        if (item.get(person_fields)) return InvalidField(prefix, "must be an object");
        Person person;
        for (auto person_member : person_fields) {
          std::string field = Qualified(prefix, person_member.key);
          absl::StatusOr<bool> known = ReadPersonField(person_member.key, person_member.value,
                                                       field, write, &regions, &person);
          if (!known.ok()) return known.status();
          if (!*known) return InvalidField(field, "unknown field");
        }
        if (write && person.id_art.empty()) {
          return InvalidField(Qualified(prefix, "id_art"), "is required");
        }
        if (person.nama.empty()) return InvalidField(Qualified(prefix, "nama"), "is required");
        if (person.tanggal_lahir.missing()) person.flags |= kPersonDobMissing;
        if (person.nik.empty()) person.flags |= kPersonNikMissing;
        result.members.push_back(std::move(person));
        ++index;
      }
      continue;
    }
    absl::StatusOr<bool> known = ReadHouseholdField(name, member.value, std::string(name), write,
                                                    &regions, &result.household);
    if (!known.ok()) return known.status();
    if (!*known) return InvalidField(name, "unknown field");
    has_region = has_region || name == "kode_wilayah";
  }
  if (write && result.household.id_keluarga.empty()) {
    return InvalidField("id_keluarga", "is required");
  }
  if (write && result.household.kode_wilayah == 0) {
    return InvalidField("kode_wilayah", "is required (a 10-digit desa code)");
  }
  if (result.members.empty()) return InvalidField("anggota", "must list at least one member");
  if (result.household.no_kk.empty()) result.household.flags |= kHouseholdNoKkMissing;
  for (size_t i = 0; i < result.members.size(); ++i) {
    Person& person = result.members[i];
    if (!person.id_keluarga.empty() && person.id_keluarga != result.household.id_keluarga) {
      return InvalidField(StrCat("anggota[", i, "].id_keluarga"),
                          "must equal the household's id_keluarga");
    }
    person.id_keluarga = result.household.id_keluarga;
    for (size_t j = 0; write && j < i; ++j) {
      if (result.members[j].id_art == person.id_art) {
        return InvalidField(StrCat("anggota[", i, "].id_art"), "listed twice");
      }
    }
  }
  return result;
}

}  // namespace

absl::StatusOr<HouseholdBody> ParseHouseholdBody(std::string_view body, IdRule ids,
                                                 const RegionTable& regions) {
  absl::StatusOr<object> root = ParseObject(body, "body");
  if (!root.ok()) return root.status();
  return ReadHouseholdObject(*root, ids, regions, false);
}

absl::StatusOr<Mutation> ParseIngestLine(std::string_view line, const RegionTable& regions) {
  absl::StatusOr<object> root = ParseObject(line, "line");
  if (!root.ok()) return root.status();
  std::string_view op = "upsert";
  element op_value;
  if (!(*root)["op"].get(op_value)) {
    if (op_value.get(op) || (op != "upsert" && op != "delete")) {
      return InvalidField("op", "must be \"upsert\" or \"delete\"");
    }
  }
  Mutation mutation;
  if (op == "delete") {
    for (auto member : *root) {
      std::string_view name = member.key;
      if (name == "op") continue;
      if (name != "id_keluarga") return InvalidField(name, "unknown field for op delete");
      if (absl::Status s = ReadText(member.value, "id_keluarga", &mutation.id_keluarga); !s.ok()) {
        return s;
      }
    }
    if (mutation.id_keluarga.empty()) return InvalidField("id_keluarga", "is required");
    mutation.kind = Mutation::Kind::kDeleteHousehold;
    return mutation;
  }
  absl::StatusOr<HouseholdBody> household =
      ReadHouseholdObject(*root, IdRule::kRequired, regions, true);
  if (!household.ok()) return household.status();
  mutation.kind = Mutation::Kind::kUpsertHousehold;
  mutation.household = std::move(household->household);
  mutation.members = std::move(household->members);
  return mutation;
}

}  // namespace padan
