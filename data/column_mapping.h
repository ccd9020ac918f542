// ColumnMapping: which input columns feed which DTKS field, and how their text is transformed
// on the way in. With no mapping file the SIKS-NG export headers and their common variants
// (data/reference/import/header_aliases.csv) are recognised; a JSON mapping file maps any
// other header set onto the model.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "data/date.h"
#include "data/field_codes.h"
#include "data/row_reader.h"

namespace padan {

// The DTKS fields an input row can fill (DESIGN.md §3), plus the four region-name columns
// of the SIKS-NG export that resolve to kode_wilayah.
enum class ImportField : uint8_t {
  kIdArt,
  kIdKeluarga,
  kNik,
  kNama,
  kJenisKelamin,
  kTempatLahir,
  kTanggalLahir,
  kHubungan,
  kNamaIbuKandung,
  kStatusKawin,
  kPekerjaan,
  kPendidikan,
  kDisabilitas,
  kStatusHidup,
  kNoKk,
  kAlamat,
  kDusun,
  kRt,
  kRw,
  kKodeWilayah,
  kProvinsi,
  kKabupatenKota,
  kKecamatan,
  kDesa,
  kDesil,
  kProgram,
  kStatus,
  kUpdatedAt,
};
inline constexpr size_t kImportFieldCount = static_cast<size_t>(ImportField::kUpdatedAt) + 1;

// "id_art", "kabupaten_kota", ...: the names used in mapping files, JSON and CSV output.
std::string_view ImportFieldName(ImportField field);
std::optional<ImportField> ImportFieldFromName(std::string_view name);

// Where one field's text comes from and how it is transformed.
struct FieldSource {
  std::vector<std::string> columns;     // joined with `separator`, empty parts skipped
  std::string separator = " ";
  std::optional<std::string> constant;  // a fixed value instead of columns
  bool generate_from_line = false;      // id_art only: "L<line>" for lists without ids
  DateFormat date_format = DateFormat::kAuto;
  int pad_left = 0;                     // left-pad with '0' to this width (ids that lost zeros)
  // Replacements applied to the joined text before parsing, keyed by the text's upper-case
  // trimmed form: {"M": "L", "F": "P"}. Text with no entry passes through.
  absl::flat_hash_map<std::string, std::string> values;
};

// A whole mapping: per-field sources plus file options. Value type.
struct ColumnMapping {
  std::array<std::optional<FieldSource>, kImportFieldCount> fields;
  // Fields a mapping file leaves out are still found by header alias unless this is false.
  bool use_header_aliases = true;
  HubunganCodes hubungan_codes = HubunganCodes::kDtks;
  RowReaderOptions reader;

  // Parses a mapping file (JSON). Returns kInvalidArgument naming the offending key, e.g.
  // "fields.tanggal_lahir.format: unknown date format 'DD/MM/YY'".
  static absl::StatusOr<ColumnMapping> FromJson(std::string_view json);
  static absl::StatusOr<ColumnMapping> FromFile(const std::string& path);
};

// A mapping resolved against one input's columns: field → column indexes. Resolve again when
// an NDJSON reader's columns grow (Resolve is cheap).
class ResolvedMapping {
 public:
  // A column a mapping names that the input lacks is kInvalidArgument (naming both), unless
  // `allow_missing_columns` (NDJSON, whose keys appear row by row).
  static absl::StatusOr<ResolvedMapping> Resolve(const ColumnMapping& mapping,
                                                 const std::vector<std::string>& columns,
                                                 bool allow_missing_columns);

  bool Has(ImportField field) const { return sources_[Index(field)].active; }
  // The field's text for `row`, transformed; `scratch` holds joined or mapped text and must
  // outlive the returned view.
  std::string_view Get(ImportField field, const Row& row, std::string* scratch) const;
  DateFormat date_format(ImportField field) const;
  // The columns that no field uses, for the import summary ("ignored columns: ...").
  const std::vector<std::string>& unused_columns() const { return unused_columns_; }

 private:
  struct Source {
    bool active = false;
    std::vector<int> columns;
    const FieldSource* spec = nullptr;  // points into the ColumnMapping; null for aliases
  };
  static size_t Index(ImportField field) { return static_cast<size_t>(field); }

  std::array<Source, kImportFieldCount> sources_;
  std::vector<std::string> unused_columns_;
};

// The key a header is compared by: lower-case ASCII letters and digits only.
std::string HeaderKey(std::string_view header);

}  // namespace padan
