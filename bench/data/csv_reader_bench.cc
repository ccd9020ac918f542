// Benchmarks CsvReader on DTKS-like person rows (21 columns, about 250 bytes a row) read from a
// file through OpenRowReader, as the importer reads them. The budget (DESIGN.md §7) is 300,000
// persons/s for the whole import on one core, so parsing must run well above 300 MB/s.
//
//   ninja -C build csv_reader_bench && build/csv_reader_bench --benchmark_filter=DtksPersons

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"

#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/row_reader.h"

namespace padan {
namespace {

// The columns of a SIKS-NG person export joined with its household (DESIGN.md §3).
constexpr std::string_view kHeader =
    "id_art,id_keluarga,nik,no_kk,nama,jenis_kelamin,tempat_lahir,tanggal_lahir,hubungan,"
    "nama_ibu_kandung,status_kawin,pekerjaan,pendidikan,disabilitas,status_hidup,alamat,rt,rw,"
    "kode_wilayah,desil,program";
constexpr size_t kColumns = 21;
// Name tokens drawn from: the most frequent ones, which make up most real names.
constexpr size_t kNameTokens = 3000;
constexpr uint64_t kSeed = 20240517;

// Names and villages from the embedded reference tables, so rows look like the registry's.
struct Vocabulary {
  std::vector<std::string> name_tokens;  // upper case
  std::vector<std::string> desa_codes;   // 10 digits
  std::vector<std::string> desa_names;
};

// Read with CsvReader itself; the tables are embedded, so failing to read them is a bug.
Vocabulary LoadVocabulary() {
  Vocabulary v;
  absl::StatusOr<std::string_view> names = EmbeddedFile("names/name_tokens_gender_freq.csv");
  absl::StatusOr<std::string_view> wilayah = EmbeddedFile("wilayah/wilayah_2025.csv");
  if (!names.ok() || !wilayah.ok()) return v;
  Row row;
  if (auto reader = CsvReaderFromString(std::string(*names)); reader.ok()) {
    while (v.name_tokens.size() < kNameTokens && (*reader)->Next(&row).value_or(false)) {
      v.name_tokens.push_back(absl::AsciiStrToUpper(ToAbsl(row.fields[0])));
    }
  }
  // Columns: kode,kode_nodot,level,jenis,nama,kode_induk.
  if (auto reader = CsvReaderFromString(std::string(*wilayah)); reader.ok()) {
    while ((*reader)->Next(&row).value_or(false)) {
      if (row.fields.size() < 5 || row.fields[2] != "4") continue;
      v.desa_codes.emplace_back(row.fields[1]);
      v.desa_names.emplace_back(row.fields[4]);
    }
  }
  return v;
}

const Vocabulary& GetVocabulary() {
  static const Vocabulary vocabulary = LoadVocabulary();
  return vocabulary;
}

// Appends `text` as a CSV field, quoting it when it holds a comma or a quote.
void AppendField(std::string_view text, std::string* out) {
  if (text.find_first_of(",\"\n") == std::string_view::npos) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

// Generates a header and `rows` person rows with a fixed seed.
std::string GenerateCsv(int64_t rows) {
  const Vocabulary& v = GetVocabulary();
  if (v.name_tokens.empty() || v.desa_codes.empty()) return "";
  std::mt19937_64 rng(kSeed);
  auto pick = [&](const auto& items) -> const auto& { return items[rng() % items.size()]; };
  auto name = [&](int tokens) {
    std::string n;
    for (int i = 0; i < tokens; ++i) {
      if (i > 0) n.push_back(' ');
      n += pick(v.name_tokens);
    }
    return n;
  };
  static const std::vector<std::string> kHubungan = {
      "Kepala Keluarga", "Istri", "Anak", "Anak", "Anak", "Cucu", "Orang Tua", "Famili Lain"};
  static const std::vector<std::string> kKawin = {"Belum Kawin", "Kawin", "Cerai Hidup",
                                                  "Cerai Mati"};
  static const std::vector<std::string> kPekerjaan = {
      "Petani/Pekebun", "Buruh Harian Lepas", "Mengurus Rumah Tangga", "Pelajar/Mahasiswa",
      "Wiraswasta",     "Nelayan/Perikanan",  "Belum/Tidak Bekerja",   "Pedagang"};
  static const std::vector<std::string> kPendidikan = {
      "Tidak/Belum Sekolah", "SD/Sederajat", "SMP/Sederajat", "SMA/Sederajat", "Diploma IV/S1"};
  static const std::vector<std::string> kJalan = {"Jl.", "Jalan", "Gg.", "Dusun", "Kp."};
  static const std::vector<std::string> kProgram = {"PKH",    "PKH;BPNT",        "BPNT",
                                                    "PBI-JK", "PKH;BPNT;PBI-JK", ""};

  std::string csv(kHeader);
  csv += "\r\n";
  csv.reserve(static_cast<size_t>(rows) * 260);
  std::string field;
  for (int64_t i = 0; i < rows; ++i) {
    const size_t desa = rng() % v.desa_codes.size();
    const std::string& kode = v.desa_codes[desa];
    const int sex = static_cast<int>(rng() % 2);
    const int year = 1940 + static_cast<int>(rng() % 80);
    const int month = 1 + static_cast<int>(rng() % 12);
    const int day = 1 + static_cast<int>(rng() % 28);
    const uint64_t kk = rng() % 1000000;
    absl::StrAppendFormat(&csv, "ART%012d,KLG%010d,%s%02d%02d%02d%04d,%s%06d,", i, kk,
                          kode.substr(0, 6), day + 40 * sex, month, year % 100, 1 + rng() % 9999,
                          kode.substr(0, 10), kk);
    field = name(2 + static_cast<int>(rng() % 3));
    if (rng() % 50 == 0) field = "SITI \"" + field + "\"";  // a nickname in quotes
    AppendField(field, &csv);
    csv += sex == 0 ? ",L," : ",P,";
    AppendField(pick(v.desa_names), &csv);
    absl::StrAppendFormat(&csv, ",%04d-%02d-%02d,%s,", year, month, day, pick(kHubungan));
    AppendField(name(2 + static_cast<int>(rng() % 2)), &csv);
    absl::StrAppendFormat(&csv, ",%s,%s,%s,%s,%s,", pick(kKawin), pick(kPekerjaan),
                          pick(kPendidikan), rng() % 20 == 0 ? "Tuna Daksa" : "Tidak Ada",
                          rng() % 50 == 0 ? "Meninggal" : "Hidup");
    field = StrCat(pick(kJalan), " ", pick(v.name_tokens), " No. ", 1 + rng() % 200);
    if (rng() % 3 == 0) field += StrCat(", ", v.desa_names[desa]);  // quoted: holds a comma
    AppendField(field, &csv);
    absl::StrAppendFormat(&csv, ",%03d,%03d,%s,%d,%s\r\n", 1 + rng() % 20, 1 + rng() % 12, kode,
                          1 + rng() % 10, pick(kProgram));
  }
  return csv;
}

// One generated file per size, removed at exit.
class CsvFiles {
 public:
  ~CsvFiles() {
    for (const auto& [rows, path] : paths_) std::filesystem::remove(path);
  }
  const std::string& Get(int64_t rows) {
    auto it = paths_.find(rows);
    if (it != paths_.end()) return it->second;
    const std::string path = (std::filesystem::temp_directory_path() /
                              absl::StrFormat("padan_csv_reader_bench_%d_%d.csv", getpid(), rows))
                                 .string();
    const std::string csv = GenerateCsv(rows);
    std::ofstream(path, std::ios::binary)
        .write(csv.data(), static_cast<std::streamsize>(csv.size()));
    return paths_.emplace(rows, path).first->second;
  }

 private:
  std::map<int64_t, std::string> paths_;
};

CsvFiles& Files() {
  static CsvFiles files;
  return files;
}

// Reads the whole file; returns the rows read (-1 on error) and adds up field bytes.
int64_t ReadAllRows(const std::string& path, uint64_t* field_bytes, int64_t* bad_rows,
                    uint64_t* file_bytes) {
  absl::StatusOr<std::unique_ptr<RowReader>> reader = OpenRowReader(path);
  if (!reader.ok()) return -1;
  Row row;
  int64_t rows = 0;
  for (;;) {
    absl::StatusOr<bool> next = (*reader)->Next(&row);
    if (!next.ok()) return -1;
    if (!*next) break;
    ++rows;
    if (!row.error.empty()) ++*bad_rows;
    for (std::string_view f : row.fields) *field_bytes += f.size();
  }
  *file_bytes = (*reader)->bytes_total();
  return rows;
}

void BM_CsvReader_DtksPersons(benchmark::State& state) {
  const int64_t rows = state.range(0);
  const std::string& path = Files().Get(rows);
  // Check the answer once: every row read back, none malformed.
  uint64_t field_bytes = 0;
  int64_t bad_rows = 0;
  uint64_t file_bytes = 0;
  if (ReadAllRows(path, &field_bytes, &bad_rows, &file_bytes) != rows || bad_rows != 0) {
    state.SkipWithError("generated CSV did not read back as expected");
    return;
  }
  for (auto _ : state) {
    uint64_t bytes = 0;
    int64_t bad = 0;
    uint64_t total = 0;
    benchmark::DoNotOptimize(ReadAllRows(path, &bytes, &bad, &total));
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(file_bytes));
  state.counters["bytes_per_row"] =
      static_cast<double>(file_bytes) / static_cast<double>(std::max<int64_t>(rows, 1));
  state.counters["columns"] = static_cast<double>(kColumns);
}
BENCHMARK(BM_CsvReader_DtksPersons)->Arg(200000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvReader_DtksPersons)
    ->Name("BM_CsvReader_DtksPersons/smoke")
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace padan

BENCHMARK_MAIN();
