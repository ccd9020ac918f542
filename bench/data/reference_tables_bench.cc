// Benchmarks of the reference tables: loading them from the embedded bytes at start-up, and the
// lookups the importer and the generator make per row.
//
// Smoke run (CTest): --benchmark_filter=/smoke --benchmark_min_time=0.001

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

#include "data/embedded_files.h"
#include "data/name_frequency_table.h"
#include "data/population_table.h"
#include "data/region_table.h"

namespace padan {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) {
    std::fprintf(stderr, "%s\n", value.status().ToString().c_str());
    std::abort();
  }
  return *std::move(value);
}

const RegionTable& Regions() {
  static const RegionTable* table = OrDie(RegionTable::LoadEmbedded()).release();
  return *table;
}

// Arg 1: the three editions; 0 (smoke): the 2020 edition alone, for a quick CTest run.
void BM_RegionTable_LoadEmbedded(benchmark::State& state) {
  const bool all = state.range(0) == 1;
  size_t bytes = 0;
  size_t memory = 0;
  for (auto _ : state) {
    if (all) {
      std::unique_ptr<RegionTable> table = OrDie(RegionTable::LoadEmbedded());
      memory = table->MemoryUsage();
      benchmark::DoNotOptimize(table.get());
    } else {
      std::array<std::string_view, 3> editions = {
          "", "", OrDie(EmbeddedFile("wilayah/wilayah_2020_permendagri_72_2019.csv"))};
      std::unique_ptr<RegionTable> table = OrDie(RegionTable::FromCsv(editions));
      memory = table->MemoryUsage();
      benchmark::DoNotOptimize(table.get());
    }
  }
  for (std::string_view path :
       {"wilayah/wilayah_2025.csv", "wilayah/wilayah_2022_kepmendagri_100.1.1-6117.csv",
        "wilayah/wilayah_2020_permendagri_72_2019.csv"}) {
    if (all || path.find("2020") != std::string_view::npos)
      bytes += OrDie(EmbeddedFile(path)).size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
  state.counters["memory_MB"] = static_cast<double>(memory) / (1 << 20);
}
BENCHMARK(BM_RegionTable_LoadEmbedded)
    ->ArgName("all")
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RegionTable_LoadEmbedded)
    ->Name("BM_RegionTable_LoadEmbedded/smoke")
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// Name rows as a SIKS-NG export writes them: every spelling the importer meets, each checked
// once to resolve to the desa level before the timed loop.
struct NameRow {
  std::string provinsi, kabupaten_kota, kecamatan, desa;
};

std::vector<NameRow> RealisticRows(size_t count) {
  const RegionTable& t = Regions();
  std::vector<NameRow> rows;
  // Every 97th desa of 2025, written in the 2020 style (upper case, "KAB."), the 2025 style,
  // or lower case with a "Desa" prefix, in turn.
  std::span<const Region* const> desa = t.AtLevel(RegionLevel::kDesa);
  for (size_t i = 0; rows.size() < count; i = (i + 97) % desa.size()) {
    const Region* d = desa[i];
    const Region* kec = t.Find(d->parent);
    const Region* kab = t.Find(kec->parent);
    const Region* prov = t.Find(kab->parent);
    NameRow row{std::string(prov->nama), std::string(kab->nama), std::string(kec->nama),
                std::string(d->nama)};
    switch (rows.size() % 3) {
      case 0:
        for (std::string* s : {&row.provinsi, &row.kabupaten_kota, &row.kecamatan, &row.desa}) {
          for (char& c : *s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (row.kabupaten_kota.rfind("KABUPATEN ", 0) == 0) {
          row.kabupaten_kota.replace(0, 9, "KAB.");
        }
        break;
      case 1:
        break;
      case 2:
        for (std::string* s : {&row.provinsi, &row.kabupaten_kota, &row.kecamatan, &row.desa}) {
          for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        row.desa = (d->is_kelurahan ? "kel. " : "desa ") + row.desa;
        break;
    }
    // A desa really named "Desa Baru" written as "desa desa baru" is not worth timing.
    if (t.ResolveNames(row.provinsi, row.kabupaten_kota, row.kecamatan, row.desa).level ==
        RegionLevel::kDesa) {
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

void BM_RegionTable_ResolveNames(benchmark::State& state) {
  const RegionTable& t = Regions();
  const std::vector<NameRow> rows = RealisticRows(static_cast<size_t>(state.range(0)));
  size_t resolved = 0;
  for (const NameRow& row : rows) {
    resolved += t.ResolveNames(row.provinsi, row.kabupaten_kota, row.kecamatan, row.desa).level ==
                RegionLevel::kDesa;
  }
  if (resolved != rows.size()) {
    state.SkipWithError("a benchmark row does not resolve to its desa");
    return;
  }
  size_t i = 0;
  for (auto _ : state) {
    const NameRow& row = rows[i];
    benchmark::DoNotOptimize(
        t.ResolveNames(row.provinsi, row.kabupaten_kota, row.kecamatan, row.desa));
    if (++i == rows.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RegionTable_ResolveNames)->Arg(4096);
BENCHMARK(BM_RegionTable_ResolveNames)->Name("BM_RegionTable_ResolveNames/smoke")->Arg(16);

// The same rows written as codes, the other form exports use.
void BM_RegionTable_ResolveCodes(benchmark::State& state) {
  const RegionTable& t = Regions();
  std::vector<std::array<std::string, 4>> rows;
  std::span<const Region* const> desa = t.AtLevel(RegionLevel::kDesa);
  for (size_t i = 0; rows.size() < static_cast<size_t>(state.range(0));
       i = (i + 97) % desa.size()) {
    const KodeWilayah code = desa[i]->code;
    rows.push_back({FormatKodeWilayah(AncestorCode(code, RegionLevel::kProvinsi)),
                    FormatKodeWilayah(AncestorCode(code, RegionLevel::kKabKota)),
                    FormatKodeWilayah(AncestorCode(code, RegionLevel::kKecamatan)),
                    FormatKodeWilayah(code)});
  }
  size_t i = 0;
  for (auto _ : state) {
    const auto& row = rows[i];
    benchmark::DoNotOptimize(t.ResolveNames(row[0], row[1], row[2], row[3]));
    if (++i == rows.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RegionTable_ResolveCodes)->Arg(4096);

// NIK validation checks the kecamatan prefix of every NIK and No KK.
void BM_RegionTable_KnownKecamatan(benchmark::State& state) {
  const RegionTable& t = Regions();
  std::vector<KodeWilayah> codes;
  for (const Region* r : t.AtLevel(RegionLevel::kKecamatan)) codes.push_back(r->code);
  codes.push_back(329999);  // unknown
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(t.KnownKecamatan(codes[i]));
    if (++i == codes.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RegionTable_KnownKecamatan);
BENCHMARK(BM_RegionTable_KnownKecamatan)->Name("BM_RegionTable_KnownKecamatan/smoke");

void BM_PopulationTable_LoadEmbedded(benchmark::State& state) {
  for (auto _ : state) {
    std::unique_ptr<PopulationTable> table = OrDie(PopulationTable::LoadEmbedded());
    benchmark::DoNotOptimize(table.get());
  }
}
BENCHMARK(BM_PopulationTable_LoadEmbedded)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PopulationTable_LoadEmbedded)
    ->Name("BM_PopulationTable_LoadEmbedded/smoke")
    ->Unit(benchmark::kMicrosecond);

void BM_NameFrequencyTable_LoadEmbedded(benchmark::State& state) {
  size_t memory = 0;
  for (auto _ : state) {
    std::unique_ptr<NameFrequencyTable> table = OrDie(NameFrequencyTable::LoadEmbedded());
    memory = table->MemoryUsage();
    benchmark::DoNotOptimize(table.get());
  }
  state.counters["memory_MB"] = static_cast<double>(memory) / (1 << 20);
}
BENCHMARK(BM_NameFrequencyTable_LoadEmbedded)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NameFrequencyTable_LoadEmbedded)
    ->Name("BM_NameFrequencyTable_LoadEmbedded/smoke")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void BM_NameFrequencyTable_Find(benchmark::State& state) {
  const std::unique_ptr<NameFrequencyTable> table = OrDie(NameFrequencyTable::LoadEmbedded());
  std::vector<std::string_view> tokens;
  for (size_t i = 0; i < table->tokens().size(); i += 53)
    tokens.push_back(table->tokens()[i].token);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(table->Find(tokens[i]));
    if (++i == tokens.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NameFrequencyTable_Find);
BENCHMARK(BM_NameFrequencyTable_Find)->Name("BM_NameFrequencyTable_Find/smoke");

}  // namespace
}  // namespace padan

BENCHMARK_MAIN();
