#include "matching/verivali_input.h"

#include <memory>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"

#include "data/absl_strings.h"
#include "data/row_reader.h"
#include "data/status_macros.h"

namespace padan {
namespace {

// Rows between checks of the cancel flag.
constexpr int64_t kCancelCheckRows = 4096;

// Joins the form numbers of a field record id: "3201012001-7-2".
constexpr char kFormIdSeparator = '-';

// Header keys (HeaderKey) of the numbers a PAPI/CAPI form identifies a member by.
constexpr std::string_view kDesaKeys[] = {"kodedesa", "kodewilayah", "kodekelurahan", "kddesa"};
constexpr std::string_view kRutaKeys[] = {"nourutruta", "nourut", "noruta", "nurt"};
constexpr std::string_view kArtKeys[] = {"noart", "nourutart", "noangota", "noanggota"};
constexpr std::string_view kStatusArtKeys[] = {"statusart", "statuskeberadaanart",
                                               "keberadaanart", "statusanggota"};

template <size_t N>
std::optional<std::string> FindColumn(const std::vector<std::string>& columns,
                                      const std::string_view (&keys)[N]) {
  for (std::string_view key : keys) {
    for (const std::string& column : columns) {
      if (HeaderKey(column) == key) return column;
    }
  }
  return std::nullopt;
}

// The columns of `path` as the reader sees them after its first row (NDJSON keys appear
// row by row, so the header alone says nothing there).
absl::StatusOr<std::vector<std::string>> PeekColumns(const std::string& path,
                                                     const RowReaderOptions& options) {
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, OpenRowReader(path, options));
  Row row;
  PADAN_ASSIGN_OR_RETURN(bool has_row, reader->Next(&row));
  if (!has_row) return absl::InvalidArgumentError(StrCat(path, ": no data rows"));
  return reader->columns();
}

// Field forms carry no registry id: name records by the form's own numbers.
void AddFormIds(const std::vector<std::string>& columns, ColumnMapping* mapping) {
  const size_t id_art = static_cast<size_t>(ImportField::kIdArt);
  const size_t id_keluarga = static_cast<size_t>(ImportField::kIdKeluarga);
  if (mapping->fields[id_art].has_value()) return;
  auto resolved = ResolvedMapping::Resolve(*mapping, columns, /*allow_missing_columns=*/true);
  if (resolved.ok() && resolved->Has(ImportField::kIdArt)) return;
  std::optional<std::string> desa = FindColumn(columns, kDesaKeys);
  std::optional<std::string> ruta = FindColumn(columns, kRutaKeys);
  std::optional<std::string> art = FindColumn(columns, kArtKeys);
  FieldSource id;
  if (desa && ruta && art) {
    // Columns found by header alias serve one field only; the desa code must stay the region.
    const size_t kode_wilayah = static_cast<size_t>(ImportField::kKodeWilayah);
    if (!mapping->fields[kode_wilayah].has_value()) {
      FieldSource region;
      region.columns = {*desa};
      mapping->fields[kode_wilayah] = region;
    }
    id.columns = {*desa, *ruta, *art};
    id.separator.assign(1, kFormIdSeparator);
    if (!mapping->fields[id_keluarga].has_value() &&
        !(resolved.ok() && resolved->Has(ImportField::kIdKeluarga))) {
      FieldSource household;
      household.columns = {*desa, *ruta};
      household.separator.assign(1, kFormIdSeparator);
      mapping->fields[id_keluarga] = household;
    }
  } else {
    id.generate_from_line = true;
  }
  mapping->fields[id_art] = id;
}

absl::Status CheckRequiredColumns(const std::string& path, const ColumnMapping& mapping,
                                  const std::vector<std::string>& columns) {
  PADAN_ASSIGN_OR_RETURN(ResolvedMapping resolved,
                         ResolvedMapping::Resolve(mapping, columns, /*allow_missing=*/true));
  std::vector<std::string> missing;
  if (!resolved.Has(ImportField::kIdArt)) missing.push_back("id_art (e.g. 'ID DTKS')");
  if (!resolved.Has(ImportField::kNama)) missing.push_back("nama");
  if (!resolved.Has(ImportField::kKodeWilayah) && !resolved.Has(ImportField::kDesa)) {
    missing.push_back("kode_wilayah or desa (e.g. 'Kode Desa', 'Desa/Kelurahan')");
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(StrCat(path, ": line 1: required column missing: ",
                                           absl::StrJoin(missing, ", "),
                                           "; the file has: ", absl::StrJoin(columns, ", ")));
}

}  // namespace

absl::StatusOr<VerivaliRecords> ReadVerivaliRecords(const std::string& path,
                                                    const ColumnMapping& mapping_in,
                                                    VerivaliSide side, const RegionTable& regions,
                                                    const BatchControl& control,
                                                    std::string_view phase) {
  ColumnMapping mapping = mapping_in;
  PADAN_ASSIGN_OR_RETURN(std::vector<std::string> columns, PeekColumns(path, mapping.reader));
  if (side == VerivaliSide::kField) AddFormIds(columns, &mapping);
  PADAN_RETURN_IF_ERROR(CheckRequiredColumns(path, mapping, columns));
  const std::optional<std::string> status_column = FindColumn(columns, kStatusArtKeys);

  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, OpenRowReader(path, mapping.reader));
  VerivaliRecords out;
  // Growing a vector of a million persons copies them all several times: reserve for the
  // file's size instead (a DTKS row is rarely shorter than this).
  constexpr uint64_t kMinRowBytes = 96;
  const size_t expected_rows = static_cast<size_t>(reader->bytes_total() / kMinRowBytes);
  out.persons.reserve(expected_rows);
  out.household_of.reserve(expected_rows);
  out.status_art.reserve(expected_rows);
  absl::flat_hash_map<std::string, uint32_t> household_index;
  absl::flat_hash_set<std::string> ids;
  std::string first_reject;
  int status_index = -1;
  ImportOptions options;
  options.progress = [&](uint64_t done, uint64_t total, int64_t) {
    control.Report(phase, done, total);
  };
  options.on_reject = [&](const Row& row, std::string_view field, std::string_view reason) {
    if (first_reject.empty()) {
      first_reject = StrCat(path, ": line ", row.line, ": ", field, ": ", reason);
    }
  };
  absl::StatusOr<ImportSummary> summary = ImportRows(
      *reader, mapping, regions, options,
      [&](const Row& row, const Household& household, const Person& person) -> absl::Status {
        // A refused row ends the run; Aborted stops the importer (InvalidArgument would not).
        if (!first_reject.empty()) return absl::AbortedError(first_reject);
        if (out.persons.size() % kCancelCheckRows == 0 && control.Cancelled()) {
          return absl::CancelledError("verivali cancelled");
        }
        if (!ids.insert(person.id_art).second) {
          return absl::AlreadyExistsError(StrCat("id_art ", person.id_art, " repeated"));
        }
        StatusArt status = person.status_hidup == StatusHidup::kMeninggal ? StatusArt::kMeninggal
                                                                          : StatusArt::kTinggal;
        if (status_column.has_value()) {
          const std::vector<std::string>& now = reader->columns();
          if (status_index < 0 || static_cast<size_t>(status_index) >= now.size() ||
              now[status_index] != *status_column) {
            status_index = -1;
            for (size_t i = 0; i < now.size(); ++i) {
              if (now[i] == *status_column) status_index = static_cast<int>(i);
            }
          }
          if (status_index >= 0 && static_cast<size_t>(status_index) < row.fields.size()) {
            std::string_view text = row.fields[status_index];
            if (!text.empty()) {
              std::optional<StatusArt> parsed = ParseStatusArt(text);
              if (!parsed.has_value()) {
                first_reject = StrCat(path, ": line ", row.line, ": ", *status_column,
                                      ": unknown value '", text,
                                      "' (allowed: 1 tinggal, 2 meninggal, 3 pindah)");
                return absl::AbortedError(first_reject);
              }
              status = *parsed;
            }
          }
        }
        const std::string& household_key =
            person.id_keluarga.empty() ? person.id_art : person.id_keluarga;
        auto [it, inserted] =
            household_index.try_emplace(household_key, static_cast<uint32_t>(out.households.size()));
        if (inserted) {
          out.households.push_back(household);
          out.households.back().id_keluarga = household_key;
        }
        out.persons.push_back(person);
        out.household_of.push_back(it->second);
        out.status_art.push_back(status);
        return absl::OkStatus();
      });
  if (!first_reject.empty()) return absl::InvalidArgumentError(first_reject);
  if (!summary.ok()) {
    if (summary.status().code() == absl::StatusCode::kCancelled ||
        absl::StrContains(summary.status().message(), ToAbsl(path))) {
      return summary.status();
    }
    return absl::Status(summary.status().code(), StrCat(path, ": ", FromAbsl(summary.status().message())));
  }
  if (out.persons.empty()) return absl::InvalidArgumentError(StrCat(path, ": no data rows"));
  out.import = *std::move(summary);
  return out;
}

}  // namespace padan
