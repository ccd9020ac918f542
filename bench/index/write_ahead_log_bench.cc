// Benchmarks of durable writes: Database::Write of one typical household upsert at a time,
// logged and fdatasync'ed before it returns, from 1 writer thread and from 4 that share their
// fsyncs by group commit; and the raw log (one batch + fdatasync) as the floor.
//
//   write_ahead_log_bench                              every case
//   write_ahead_log_bench --benchmark_filter=/smoke   what CI runs
//
// Reports mutations/s, fsyncs/s, mutations per fsync and log bytes per mutation. The files go
// to $PADAN_BENCH_DIR, else /tmp: results are those of that disk (a tmpfs has free fsyncs).
//
// Households: 1-8 members (mean 3.75, as DTKS), names of 2-3 tokens drawn by their frequency
// among women or men (data/reference/names), desa codes of the 2025 Kemendagri table, 16-digit
// ids and NIKs, from a fixed seed.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"

#include "data/absl_strings.h"
#include "data/name_frequency_table.h"
#include "data/record.h"
#include "data/region_table.h"
#include "data/status_macros.h"
#include "index/database.h"
#include "index/mutation.h"
#include "index/snapshot_file.h"
#include "index/write_ahead_log.h"

namespace padan {
namespace {

constexpr uint64_t kSeed = 20240617;
// Distinct households each writer thread cycles through (upserting one again replaces it).
constexpr int kHouseholdsPerWriter = 512;
// Household sizes 1..8 by how often they occur (mean 3.75; as bench/index/record_store_bench).
constexpr uint32_t kHouseholdSizeWeights[] = {8, 15, 22, 25, 16, 9, 3, 2};

// The state behind the Database: households by id_keluarga, kept as their encodings, so that
// the benchmark measures the log rather than an index.
class BlobState : public DurableState {
 public:
  absl::Status Validate(absl::Span<const Mutation> mutations, Pending* /*pending*/) const override {
    for (const Mutation& mutation : mutations) {
      if (mutation.household.id_keluarga.empty()) {
        return absl::InvalidArgumentError("household.id_keluarga: empty");
      }
    }
    return absl::OkStatus();
  }
  absl::Status Apply(const Mutation& mutation) override {
    households_[mutation.household.id_keluarga] = mutation.Encode();
    return absl::OkStatus();
  }
  absl::Status Save(SnapshotWriter& writer) const override {
    writer.BeginSection("households");
    writer.AppendU64(households_.size());
    for (const auto& [id, blob] : households_) writer.AppendString(blob);
    return absl::OkStatus();
  }
  absl::Status Load(SnapshotReader& reader) override {
    households_.clear();
    PADAN_RETURN_IF_ERROR(reader.OpenSection("households"));
    PADAN_ASSIGN_OR_RETURN(const uint64_t count, reader.ReadU64());
    for (uint64_t i = 0; i < count; ++i) {
      PADAN_ASSIGN_OR_RETURN(std::string blob, reader.ReadString());
      PADAN_ASSIGN_OR_RETURN(Mutation mutation, Mutation::Decode(blob));
      households_[mutation.household.id_keluarga] = std::move(blob);
    }
    return absl::OkStatus();
  }
  bool Has(const std::string& id) const { return households_.contains(id); }

 private:
  absl::flat_hash_map<std::string, std::string> households_;
};

std::string Upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

// Typical household upserts, generated once per process.
struct Workload {
  std::vector<std::vector<Mutation>> per_writer;  // [writer][household]
  double mean_log_bytes = 0;
};

absl::StatusOr<Workload> MakeWorkload(int writers) {
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<NameFrequencyTable> names,
                         NameFrequencyTable::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<RegionTable> regions, RegionTable::LoadEmbedded());
  std::vector<std::string> tokens;
  std::vector<double> female, male;
  for (const NameTokenFrequency& token : names->tokens()) {
    tokens.push_back(Upper(token.token));
    female.push_back(token.female);
    male.push_back(token.male);
  }
  std::vector<uint64_t> desa;
  for (const Region* region : regions->AtLevel(RegionLevel::kDesa)) desa.push_back(region->code);
  if (tokens.empty() || desa.empty()) {
    return absl::FailedPreconditionError("the embedded name or region table is empty");
  }
  std::mt19937_64 rng(kSeed);
  std::discrete_distribution<size_t> female_token(female.begin(), female.end());
  std::discrete_distribution<size_t> male_token(male.begin(), male.end());
  std::discrete_distribution<int> household_size(std::begin(kHouseholdSizeWeights),
                                                 std::end(kHouseholdSizeWeights));
  auto name = [&](bool is_female) {
    std::string out;
    const int count = 2 + static_cast<int>(rng() % 2);
    for (int i = 0; i < count; ++i) {
      if (i > 0) out.push_back(' ');
      out += tokens[is_female ? female_token(rng) : male_token(rng)];
    }
    return out;
  };
  // A 16-digit number that does not start with 0, as ids, NIKs and No KKs are.
  auto number16 = [&] { return 1'000'000'000'000'000 + rng() % 9'000'000'000'000'000; };
  auto id16 = [&] { return absl::StrFormat("%d", number16()); };

  Workload workload;
  uint64_t total_bytes = 0;
  uint64_t count = 0;
  workload.per_writer.resize(writers);
  for (int w = 0; w < writers; ++w) {
    for (int i = 0; i < kHouseholdsPerWriter; ++i) {
      Mutation m;
      Household& h = m.household;
      h.id_keluarga = id16();
      h.no_kk_value = number16();
      h.no_kk = absl::StrFormat("%d", h.no_kk_value);
      h.kode_wilayah = desa[rng() % desa.size()];
      h.alamat = absl::StrFormat("JL. %s NO. %d", tokens[rng() % tokens.size()], 1 + rng() % 200);
      h.dusun = "KRAJAN";
      h.rt = absl::StrFormat("%03d", 1 + rng() % 20);
      h.rw = absl::StrFormat("%03d", 1 + rng() % 10);
      h.desil = static_cast<uint8_t>(1 + rng() % 4);
      h.program = static_cast<ProgramSet>(Program::kPkh) | static_cast<ProgramSet>(Program::kBpnt);
      h.updated_at = Date::FromYmd(2024, 1 + rng() % 12, 1 + rng() % 28);
      const int size = 1 + household_size(rng);
      for (int k = 0; k < size; ++k) {
        Person p;
        const bool is_female = k == 1 || (k > 1 && rng() % 2 == 0);
        p.id_art = id16();
        p.id_keluarga = h.id_keluarga;
        p.nik_value = number16();
        p.nik = absl::StrFormat("%d", p.nik_value);
        p.nama = name(is_female);
        p.jenis_kelamin = is_female ? Sex::kPerempuan : Sex::kLakiLaki;
        p.tempat_lahir = "BOGOR";
        p.tanggal_lahir = Date::FromYmd(
            k < 2 ? 1965 + static_cast<int>(rng() % 25) : 1995 + static_cast<int>(rng() % 25),
            1 + rng() % 12, 1 + rng() % 28);
        p.hubungan = k == 0   ? Hubungan::kKepalaKeluarga
                     : k == 1 ? Hubungan::kIstriSuami
                              : Hubungan::kAnak;
        p.nama_ibu_kandung = name(true);
        p.status_kawin = k < 2 ? StatusKawin::kKawin : StatusKawin::kBelumKawin;
        p.pekerjaan = k < 2 ? "PETANI/PEKEBUN" : "PELAJAR/MAHASISWA";
        p.pendidikan = "TAMAT SD/SEDERAJAT";
        m.members.push_back(std::move(p));
      }
      total_bytes += m.Encode().size() + kWalEntryHeaderBytes;
      ++count;
      workload.per_writer[w].push_back(std::move(m));
    }
  }
  workload.mean_log_bytes = static_cast<double>(total_bytes) / static_cast<double>(count);
  return workload;
}

const Workload& GetWorkload(int writers) {
  static auto* cache = new absl::flat_hash_map<int, Workload>();
  auto it = cache->find(writers);
  if (it == cache->end()) {
    absl::StatusOr<Workload> workload = MakeWorkload(writers);
    if (!workload.ok()) {
      std::fprintf(stderr, "%s\n", workload.status().ToString().c_str());
      std::abort();
    }
    it = cache->emplace(writers, *std::move(workload)).first;
  }
  return it->second;
}

std::string BenchDir(std::string_view name) {
  const char* base = std::getenv("PADAN_BENCH_DIR");
  std::string dir = StrCat(base != nullptr ? base : "/tmp", "/padan_wal_bench_", name);
  std::filesystem::remove_all(dir);
  return dir;
}

// Each iteration: `writers` threads each write `writes` households, one Write per household.
void BM_WriteAheadLog_Write(benchmark::State& state, int writers, int writes) {
  const Workload& workload = GetWorkload(writers);
  const std::string dir = BenchDir(StrCat("write_", writers));
  DatabaseOptions options;
  options.dir = dir;
  options.background_snapshots = false;
  auto owned = std::make_unique<BlobState>();
  const BlobState* blobs = owned.get();
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(options, std::move(owned));
  if (!db.ok()) {
    state.SkipWithError(db.status().ToString().c_str());
    return;
  }
  // Check the answer once: a write is applied when Write returns.
  const Mutation& probe = workload.per_writer[0][0];
  if (!(*db)->Write(absl::MakeConstSpan(&probe, 1)).ok() ||
      !blobs->Has(probe.household.id_keluarga)) {
    state.SkipWithError("the probe write is not there");
    return;
  }

  const uint64_t syncs_before = WriteAheadLog::SyncCount();
  uint64_t mutations = 0;
  for (auto _ : state) {
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w) {
      threads.emplace_back([&, w] {
        const std::vector<Mutation>& households = workload.per_writer[w];
        for (int i = 0; i < writes; ++i) {
          const Mutation& m = households[i % households.size()];
          const absl::Status status = (*db)->Write(absl::MakeConstSpan(&m, 1));
          if (!status.ok()) std::abort();
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    mutations += static_cast<uint64_t>(writers) * writes;
  }
  const double syncs = static_cast<double>(WriteAheadLog::SyncCount() - syncs_before);
  state.counters["mutations/s"] =
      benchmark::Counter(static_cast<double>(mutations), benchmark::Counter::kIsRate);
  state.counters["fsyncs/s"] = benchmark::Counter(syncs, benchmark::Counter::kIsRate);
  state.counters["mutations/fsync"] = static_cast<double>(mutations) / std::max(syncs, 1.0);
  state.counters["log_bytes/mutation"] = workload.mean_log_bytes;
  (*db)->Close();
  std::filesystem::remove_all(dir);
}

// The floor: one single-entry batch appended and fdatasync'ed per iteration, no Database.
void BM_WriteAheadLog_AppendSync(benchmark::State& state) {
  const Workload& workload = GetWorkload(1);
  const std::string dir = BenchDir("append");
  std::filesystem::create_directories(dir);
  absl::StatusOr<std::unique_ptr<WriteAheadLog>> log = WriteAheadLog::Create(dir, 1);
  if (!log.ok()) {
    state.SkipWithError(log.status().ToString().c_str());
    return;
  }
  std::vector<std::string> payload(1);
  size_t i = 0;
  for (auto _ : state) {
    payload[0] = workload.per_writer[0][i++ % kHouseholdsPerWriter].Encode();
    (*log)->AppendBatch(payload);
    if (!(*log)->Sync().ok()) std::abort();
  }
  state.counters["mutations/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  log->reset();
  std::filesystem::remove_all(dir);
}

void RegisterAll() {
  for (int writers : {1, 4}) {
    benchmark::RegisterBenchmark(
        absl::StrFormat("BM_WriteAheadLog_Write/writers:%d/smoke", writers).c_str(),
        BM_WriteAheadLog_Write, writers, 20)
        ->UseRealTime()
        ->Iterations(1);
    benchmark::RegisterBenchmark(
        absl::StrFormat("BM_WriteAheadLog_Write/writers:%d", writers).c_str(),
        BM_WriteAheadLog_Write, writers, 500)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("BM_WriteAheadLog_AppendSync", BM_WriteAheadLog_AppendSync)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace
}  // namespace padan

int main(int argc, char** argv) {
  padan::RegisterAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
