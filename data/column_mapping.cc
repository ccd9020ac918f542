#include "data/column_mapping.h"


#include "absl/strings/ascii.h"
#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/file_io.h"
#include "data/status_macros.h"
#include "simdjson.h"

namespace padan {
namespace {

constexpr std::array<std::string_view, kImportFieldCount> kFieldNames = {
    "id_art",      "id_keluarga", "nik",        "nama",         "jenis_kelamin",
    "tempat_lahir", "tanggal_lahir", "hubungan", "nama_ibu_kandung", "status_kawin",
    "pekerjaan",   "pendidikan",  "disabilitas", "status_hidup", "no_kk",
    "alamat",      "dusun",       "rt",         "rw",           "kode_wilayah",
    "provinsi",    "kabupaten_kota", "kecamatan", "desa",        "desil",
    "program",     "status",      "updated_at",
};

// Widest accepted pad: ids are at most this long.
constexpr int64_t kMaxPadWidth = 64;

// header key → field, from data/reference/import/header_aliases.csv. Immutable once built.
const absl::flat_hash_map<std::string, ImportField>& HeaderAliases() {
  static const auto* aliases = [] {
    auto* map = new absl::flat_hash_map<std::string, ImportField>();
    absl::StatusOr<std::string_view> csv = EmbeddedFile("import/header_aliases.csv");
    if (!csv.ok()) return map;  // the build embeds it; an empty map only disables aliases
    std::string_view text = *csv;
    bool header = true;
    while (!text.empty()) {
      size_t eol = text.find('\n');
      std::string_view line = text.substr(0, eol);
      text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
      if (header) {
        header = false;
        continue;
      }
      size_t comma = line.find(',');
      if (comma == std::string_view::npos) continue;
      std::optional<ImportField> field = ImportFieldFromName(line.substr(0, comma));
      if (field.has_value()) map->emplace(HeaderKey(line.substr(comma + 1)), *field);
    }
    return map;
  }();
  return *aliases;
}

std::string UpperTrimmed(std::string_view text) {
  return absl::AsciiStrToUpper(absl::StripAsciiWhitespace(ToAbsl(text)));
}

absl::Status MappingError(std::string_view where, std::string_view message) {
  return absl::InvalidArgumentError(StrCat("mapping ", where, ": ", message));
}

absl::StatusOr<FieldSource> ParseFieldSource(std::string_view field_name,
                                             simdjson::dom::element value) {
  std::string where = StrCat("fields.", field_name);
  FieldSource source;
  std::string_view text;
  // Shorthand: "nama": "Full Name".
  if (value.get_string().get(text) == simdjson::SUCCESS) {
    source.columns.emplace_back(text);
    return source;
  }
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return MappingError(where, "must be a column name or an object");
  }
  for (auto [key, item] : object) {
    std::string item_where = StrCat(where, ".", key);
    if (key == "column") {
      if (item.get_string().get(text) != simdjson::SUCCESS) {
        return MappingError(item_where, "must be a string");
      }
      source.columns.emplace_back(text);
    } else if (key == "columns") {
      simdjson::dom::array array;
      if (item.get_array().get(array) != simdjson::SUCCESS) {
        return MappingError(item_where, "must be an array of column names");
      }
      for (simdjson::dom::element column : array) {
        if (column.get_string().get(text) != simdjson::SUCCESS) {
          return MappingError(item_where, "must be an array of column names");
        }
        source.columns.emplace_back(text);
      }
    } else if (key == "separator") {
      if (item.get_string().get(text) != simdjson::SUCCESS) {
        return MappingError(item_where, "must be a string");
      }
      source.separator = std::string(text);
    } else if (key == "value") {
      if (item.get_string().get(text) != simdjson::SUCCESS) {
        return MappingError(item_where, "must be a string");
      }
      source.constant = std::string(text);
    } else if (key == "generate") {
      bool generate = false;
      if (item.get_bool().get(generate) != simdjson::SUCCESS) {
        return MappingError(item_where, "must be true or false");
      }
      if (field_name != "id_art") return MappingError(item_where, "only id_art can be generated");
      source.generate_from_line = generate;
    } else if (key == "format") {
      if (item.get_string().get(text) != simdjson::SUCCESS) {
        return MappingError(item_where, "must be a string");
      }
      absl::StatusOr<DateFormat> format = ParseDateFormatName(text);
      if (!format.ok()) return MappingError(item_where, FromAbsl(format.status().message()));
      source.date_format = *format;
    } else if (key == "pad_left") {
      int64_t width = 0;
      if (item.get_int64().get(width) != simdjson::SUCCESS || width < 0 || width > kMaxPadWidth) {
        return MappingError(item_where, "must be a whole number from 0 to 64");
      }
      source.pad_left = static_cast<int>(width);
    } else if (key == "values") {
      simdjson::dom::object values;
      if (item.get_object().get(values) != simdjson::SUCCESS) {
        return MappingError(item_where, "must be an object of input text → model text");
      }
      for (auto [from, to] : values) {
        std::string_view to_text;
        if (to.get_string().get(to_text) != simdjson::SUCCESS) {
          return MappingError(StrCat(item_where, ".", from), "must be a string");
        }
        source.values[UpperTrimmed(from)] = std::string(to_text);
      }
    } else {
      return MappingError(item_where,
                          "unknown key; use column, columns, separator, value, generate, "
                          "format, pad_left or values");
    }
  }
  int kinds = (source.columns.empty() ? 0 : 1) + (source.constant.has_value() ? 1 : 0) +
              (source.generate_from_line ? 1 : 0);
  if (kinds != 1) {
    return MappingError(where, "needs exactly one of column/columns, value or generate");
  }
  return source;
}

}  // namespace

std::string_view ImportFieldName(ImportField field) {
  return kFieldNames[static_cast<size_t>(field)];
}

std::optional<ImportField> ImportFieldFromName(std::string_view name) {
  for (size_t i = 0; i < kFieldNames.size(); ++i) {
    if (kFieldNames[i] == name) return static_cast<ImportField>(i);
  }
  return std::nullopt;
}

std::string HeaderKey(std::string_view header) {
  std::string key;
  key.reserve(header.size());
  for (char c : header) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) key.push_back(c);
  }
  return key;
}

absl::StatusOr<ColumnMapping> ColumnMapping::FromJson(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json.data(), json.size());
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root); error != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(
        StrCat("mapping file is not valid JSON: ", simdjson::error_message(error)));
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("mapping file must be a JSON object");
  }
  ColumnMapping mapping;
  for (auto [key, value] : object) {
    std::string_view text;
    if (key == "fields") {
      simdjson::dom::object fields;
      if (value.get_object().get(fields) != simdjson::SUCCESS) {
        return MappingError("fields", "must be an object of field name → source");
      }
      for (auto [name, source] : fields) {
        std::optional<ImportField> field = ImportFieldFromName(name);
        if (!field.has_value()) {
          return MappingError(StrCat("fields.", name),
                              "unknown field; see the README for the DTKS field names");
        }
        PADAN_ASSIGN_OR_RETURN(FieldSource parsed, ParseFieldSource(name, source));
        mapping.fields[static_cast<size_t>(*field)] = std::move(parsed);
      }
    } else if (key == "header_aliases") {
      if (value.get_bool().get(mapping.use_header_aliases) != simdjson::SUCCESS) {
        return MappingError("header_aliases", "must be true or false");
      }
    } else if (key == "delimiter") {
      if (value.get_string().get(text) != simdjson::SUCCESS ||
          (text != "," && text != ";" && text != "\t" && text != "|")) {
        return MappingError("delimiter", "must be \",\", \";\", \"|\" or \"\\t\"");
      }
      mapping.reader.delimiter = text[0];
    } else if (key == "encoding") {
      std::string upper = value.get_string().get(text) == simdjson::SUCCESS ? UpperTrimmed(text)
                                                                             : "";
      if (upper == "UTF-8" || upper == "UTF8") {
        mapping.reader.encoding = TextEncoding::kUtf8;
      } else if (upper == "WINDOWS-1252" || upper == "CP1252") {
        mapping.reader.encoding = TextEncoding::kWindows1252;
      } else if (upper == "LATIN-1" || upper == "ISO-8859-1") {
        mapping.reader.encoding = TextEncoding::kLatin1;
      } else {
        return MappingError("encoding", "must be \"utf-8\", \"windows-1252\" or \"latin-1\"");
      }
    } else if (key == "hubungan_codes") {
      if (value.get_string().get(text) == simdjson::SUCCESS && text == "dtks") {
        mapping.hubungan_codes = HubunganCodes::kDtks;
      } else if (value.get_string().get(text) == simdjson::SUCCESS && text == "shdk") {
        mapping.hubungan_codes = HubunganCodes::kShdk;
      } else {
        return MappingError("hubungan_codes", "must be \"dtks\" or \"shdk\"");
      }
    } else if (key == "members_key") {
      if (value.get_string().get(text) != simdjson::SUCCESS) {
        return MappingError("members_key", "must be a string");
      }
      mapping.reader.ndjson_members_key = std::string(text);
    } else {
      return MappingError(key,
                          "unknown key; use fields, header_aliases, delimiter, encoding, "
                          "hubungan_codes or members_key");
    }
  }
  return mapping;
}

absl::StatusOr<ColumnMapping> ColumnMapping::FromFile(const std::string& path) {
  PADAN_ASSIGN_OR_RETURN(std::string json, ReadWholeFile(path));
  absl::StatusOr<ColumnMapping> mapping = FromJson(json);
  if (!mapping.ok()) {
    return absl::InvalidArgumentError(StrCat(path, ": ", mapping.status().message()));
  }
  return mapping;
}

absl::StatusOr<ResolvedMapping> ResolvedMapping::Resolve(const ColumnMapping& mapping,
                                                         const std::vector<std::string>& columns,
                                                         bool allow_missing_columns) {
  ResolvedMapping resolved;
  absl::flat_hash_map<std::string, int> by_name;  // exact header, then header key
  absl::flat_hash_map<std::string, int> by_key;
  for (size_t i = 0; i < columns.size(); ++i) {
    by_name.emplace(columns[i], static_cast<int>(i));  // the first of duplicate headers wins
    by_key.emplace(HeaderKey(columns[i]), static_cast<int>(i));
  }
  std::vector<bool> used(columns.size(), false);
  for (size_t f = 0; f < kImportFieldCount; ++f) {
    const std::optional<FieldSource>& spec = mapping.fields[f];
    if (!spec.has_value()) continue;
    Source& source = resolved.sources_[f];
    source.spec = &*spec;
    source.active = true;
    for (const std::string& column : spec->columns) {
      int index = -1;
      if (auto exact = by_name.find(column); exact != by_name.end()) {
        index = exact->second;
      } else if (auto loose = by_key.find(HeaderKey(column)); loose != by_key.end()) {
        index = loose->second;
      }
      if (index < 0) {
        if (allow_missing_columns) continue;
        return absl::InvalidArgumentError(
            StrCat("mapping fields.", kFieldNames[f], ": the input has no column '", column, "'"));
      }
      source.columns.push_back(index);
      used[static_cast<size_t>(index)] = true;
    }
  }
  if (mapping.use_header_aliases) {
    const auto& aliases = HeaderAliases();
    for (size_t i = 0; i < columns.size(); ++i) {
      if (used[i]) continue;
      auto it = aliases.find(HeaderKey(columns[i]));
      if (it == aliases.end()) continue;
      Source& source = resolved.sources_[static_cast<size_t>(it->second)];
      if (source.active) continue;  // mapped explicitly, or an earlier alias column won
      source.active = true;
      source.columns.push_back(static_cast<int>(i));
      used[i] = true;
    }
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!used[i]) resolved.unused_columns_.push_back(columns[i]);
  }
  return resolved;
}

std::string_view ResolvedMapping::Get(ImportField field, const Row& row,
                                      std::string* scratch) const {
  const Source& source = sources_[Index(field)];
  if (!source.active) return {};
  const FieldSource* spec = source.spec;
  std::string_view text;
  if (spec != nullptr && spec->constant.has_value()) {
    text = *spec->constant;
  } else if (spec != nullptr && spec->generate_from_line) {
    *scratch = StrCat("L", row.line);
    return *scratch;
  } else if (source.columns.size() == 1) {
    size_t column = static_cast<size_t>(source.columns[0]);
    text = column < row.fields.size() ? row.fields[column] : std::string_view();
    text = FromAbsl(absl::StripAsciiWhitespace(ToAbsl(text)));
  } else {
    scratch->clear();
    for (int column : source.columns) {
      std::string_view part = static_cast<size_t>(column) < row.fields.size()
                                  ? row.fields[static_cast<size_t>(column)]
                                  : std::string_view();
      part = FromAbsl(absl::StripAsciiWhitespace(ToAbsl(part)));
      if (part.empty()) continue;
      if (!scratch->empty()) scratch->append(spec->separator);
      scratch->append(part);
    }
    text = *scratch;
  }
  if (spec == nullptr) return text;
  if (!spec->values.empty()) {
    auto it = spec->values.find(UpperTrimmed(text));
    if (it != spec->values.end()) text = it->second;
  }
  if (spec->pad_left > 0 && !text.empty() && text.size() < static_cast<size_t>(spec->pad_left)) {
    std::string padded(static_cast<size_t>(spec->pad_left) - text.size(), '0');
    padded.append(text);
    *scratch = std::move(padded);
    text = *scratch;
  }
  return text;
}

DateFormat ResolvedMapping::date_format(ImportField field) const {
  const Source& source = sources_[Index(field)];
  return source.spec == nullptr ? DateFormat::kAuto : source.spec->date_format;
}

}  // namespace padan
