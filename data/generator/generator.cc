#include "data/generator/generator.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"

#include "data/absl_strings.h"
#include "data/generator/field_result_writer.h"
#include "data/generator/output_file.h"
#include "data/generator/serial_registry.h"
#include "data/generator/siks_ng_writer.h"
#include "data/status_macros.h"

namespace padan::gen {
namespace {

// Ids: sequence numbers (block * kIdsPerBlock + position) put through a keyed permutation of
// [0, modulus): unique, and neither in generation order nor in any visible progression.
constexpr uint64_t kIdsPerBlock = 1 << 14;  // > 2 * kBlockPersons records per block
constexpr uint64_t kPersonIdModulus = 10'000'000'000'000ULL;  // 13 digits < 2^44
constexpr int kPersonIdBits = 44;
constexpr uint64_t kHouseholdIdModulus = 1'000'000'000'000ULL;  // 12 digits < 2^40
constexpr int kHouseholdIdBits = 40;
// Blocks generated ahead of the commit, per worker: bounds memory.
constexpr uint64_t kBlocksAheadPerWorker = 3;

// A bijection of [0, 2^bits): xor with the key, then multiply by odd constants and xor-shift,
// each invertible modulo 2^bits.
uint64_t PermuteBits(uint64_t x, uint64_t key, int bits) {
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  x = (x ^ key) & mask;
  x = (x * 0x9E3779B97F4A7C15ULL) & mask;
  x ^= x >> (bits / 2);
  x = (x * 0xBF58476D1CE4E5B9ULL) & mask;
  x ^= x >> (bits / 2 - 3);
  return x;
}

// Cycle-walking restricts the permutation to [0, modulus). REQUIRES: sequence < modulus.
uint64_t ScrambleId(uint64_t sequence, uint64_t key, uint64_t modulus, int bits) {
  uint64_t x = sequence;
  do {
    x = PermuteBits(x, key, bits);
  } while (x >= modulus);
  return x;
}

std::string Digits16(uint64_t value) { return value == 0 ? std::string() : ZeroPadded(value, 16); }

// One pre-list record's truth, kept until the field households are numbered.
struct PrelistEntry {
  std::string id_art;
  VerivaliOutcome outcome = VerivaliOutcome::kNone;
  uint8_t changed = 0;
  int64_t field_household = -1;  // index into the run's field households
  int32_t field_member = -1;
  std::string ganda_of;  // id_art of the record a kGanda record repeats
};

// Hands block indexes to workers in order and their results to the committer in order.
// Workers stay at most `window` blocks ahead of the commit, which bounds memory.
// Thread-safe.
class BlockPipeline {
 public:
  BlockPipeline(uint64_t blocks, uint64_t window)
      : blocks_(blocks), window_(window), ready_(blocks) {}

  // The next block to generate, or nullopt when all are taken or Stop() was called. Blocks
  // while the worker would run too far ahead.
  std::optional<uint64_t> Take() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &BlockPipeline::CanTake));
    if (stop_ || next_ >= blocks_) return std::nullopt;
    return next_++;
  }
  void Put(uint64_t index, std::unique_ptr<Block> block) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    ready_[index] = std::move(block);
  }
  // Waits for block `index`. REQUIRES: indexes are waited for in order, once each.
  std::unique_ptr<Block> Wait(uint64_t index) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](std::unique_ptr<Block>* slot) { return *slot != nullptr; }, &ready_[index]));
    committed_ = index + 1;
    return std::move(ready_[index]);
  }
  void Stop() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }

 private:
  bool CanTake() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stop_ || next_ >= blocks_ || next_ < committed_ + window_;
  }

  const uint64_t blocks_;
  const uint64_t window_;
  absl::Mutex mu_;
  uint64_t next_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t committed_ ABSL_GUARDED_BY(mu_) = 0;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::unique_ptr<Block>> ready_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

// Turns blocks, in index order, into file bytes: assigns NIK and No KK serials, ids, renders.
// Runs on one thread; owns the registries that make serials unique.
class Generator::Committer {
 public:
  Committer(const Generator& generator, const GeneratorOptions& options)
      : g_(generator),
        options_(options),
        writer_(*g_.sampler_, *g_.titles_),
        field_writer_(*g_.sampler_) {
    id_key_person_ = Mix64(options.seed);
    id_key_household_ = Mix64(options.seed ^ 0x5EED);
    nik_serials_.Reserve(static_cast<size_t>(std::min<int64_t>(options.persons, 1 << 26)));
  }

  absl::Status Open() {
    namespace fs = std::filesystem;
    const fs::path dir(options_.out_dir);
    auto open = [&](const char* name, std::unique_ptr<OutputFile>* file,
                    std::string_view header) -> absl::Status {
      PADAN_ASSIGN_OR_RETURN(*file, OutputFile::Open((dir / name).string()));
      if (header.empty()) return absl::OkStatus();
      PADAN_RETURN_IF_ERROR((*file)->Append(header));
      return (*file)->Append("\n");
    };
    PADAN_RETURN_IF_ERROR(open("dtks.csv", &dtks_, kSiksNgHeader));
    PADAN_RETURN_IF_ERROR(open("truth.csv", &truth_, kTruthHeader));
    if (options_.prelist) PADAN_RETURN_IF_ERROR(open("prelist.csv", &prelist_, kSiksNgHeader));
    return absl::OkStatus();
  }

  absl::Status Commit(Block& block) {
    Rng rng(options_.seed, RngStream::kCommit, block.index);
    auto& hh = block.households;
    report_.persons += block.persons;
    // Serials: originals' NIKs and cards first, in generation order.
    for (GenHousehold& h : hh) {
      if (h.duplicate) continue;
      ++report_.households;
      h.no_kk = NextNoKk(h.desa, h.kk_issue_days);
      for (GenPerson& p : h.members) {
        if (p.original.valid()) continue;
        p.nik = NextNik(p);
        for (int c = 0; c < kCorruptionCount; ++c) {
          if (Has(p.corruptions, static_cast<Corruption>(c))) ++report_.original_problems[c];
        }
        if (Has(h.corruptions, Corruption::kNoKkMissing)) {
          ++report_.original_problems[static_cast<int>(Corruption::kNoKkMissing)];
        }
      }
    }
    for (GenHousehold& h : hh) {
      if (!h.duplicate) continue;
      ++report_.duplicate_households;
      h.no_kk = h.new_no_kk ? NextNoKk(h.desa, h.kk_issue_days) : hh[h.original].no_kk;
    }
    for (FieldHousehold& f : block.field) {
      f.no_kk = f.new_no_kk ? NextNoKk(f.desa, f.kk_issue_days) : hh[f.registry_household].no_kk;
      for (FieldPerson& m : f.members) {
        switch (m.nik) {
          case FieldNik::kRegistryPerson:
            m.person.nik = hh[m.registry.household].members[m.registry.member].nik;
            break;
          case FieldNik::kNew:
            m.person.nik = NextNik(m.person);
            break;
          case FieldNik::kEmpty:
            m.person.nik = 0;
            break;
        }
      }
    }

    // Ids, in writing order.
    std::vector<std::vector<std::string>> id_art(hh.size());
    std::vector<std::string> id_keluarga(hh.size());
    uint64_t person_seq = block.index * kIdsPerBlock;
    uint64_t household_seq = block.index * kIdsPerBlock;
    for (uint32_t i : block.order) {
      const GenHousehold& h = hh[i];
      const KodeWilayah kab = g_.sampler_->kab_kota()[g_.sampler_->desa()[h.desa].kab_kota].code;
      id_keluarga[i] = ZeroPadded(kab, 4);
      AppendZeroPadded(
          ScrambleId(household_seq++, id_key_household_, kHouseholdIdModulus, kHouseholdIdBits), 12,
          &id_keluarga[i]);
      for (size_t m = 0; m < h.members.size(); ++m) {
        std::string& id = id_art[i].emplace_back(ZeroPadded(kab, 4));
        AppendZeroPadded(ScrambleId(person_seq++, id_key_person_, kPersonIdModulus, kPersonIdBits),
                         13, &id);
      }
    }

    // Rows.
    dtks_buffer_.clear();
    truth_buffer_.clear();
    prelist_buffer_.clear();
    const int64_t field_base = static_cast<int64_t>(field_.size());
    std::string rows;
    for (uint32_t i : block.order) {
      const GenHousehold& h = hh[i];
      const std::string no_kk =
          Has(h.corruptions, Corruption::kNoKkMissing) ? std::string() : Digits16(h.no_kk);
      const bool listed = options_.prelist && !block.prelist[i].empty();
      const std::string columns = writer_.HouseholdColumns(h, no_kk);
      rows.clear();
      for (size_t m = 0; m < h.members.size(); ++m) {
        const GenPerson& p = h.members[m];
        const bool duplicate = p.original.valid();
        const GenPerson& original =
            duplicate ? hh[p.original.household].members[p.original.member] : p;
        std::string nik = Digits16(original.nik);
        Corruptor::ApplyNikCorruption(p.corruptions, &nik, rng);
        writer_.AppendRow(p, id_art[i][m], id_keluarga[i], columns, nik, &rows);
        const CorruptionSet corruptions =
            p.corruptions | (h.corruptions & Bit(Corruption::kNoKkMissing));
        const std::string& cluster =
            duplicate ? id_art[p.original.household][p.original.member] : id_art[i][m];
        SiksNgWriter::AppendTruthRow(id_art[i][m], cluster, id_keluarga[i], duplicate, corruptions,
                                     &truth_buffer_);
        if (duplicate) CountDuplicate(p);
        if (listed) AddPrelistEntry(block.prelist[i][m], id_art, i, m, field_base);
      }
      dtks_buffer_.append(rows);
      if (listed) {
        prelist_buffer_.append(rows);
        ++report_.prelist_households;
      }
    }
    for (FieldHousehold& f : block.field) field_.push_back(std::move(f));

    PADAN_RETURN_IF_ERROR(dtks_->Append(dtks_buffer_));
    PADAN_RETURN_IF_ERROR(truth_->Append(truth_buffer_));
    if (prelist_ != nullptr) PADAN_RETURN_IF_ERROR(prelist_->Append(prelist_buffer_));
    return absl::OkStatus();
  }

  // Numbers the field households within each desa in visiting order and writes the field files
  // and the verivali truth.
  absl::Status FinishPrelist() {
    namespace fs = std::filesystem;
    const fs::path dir(options_.out_dir);
    std::vector<uint32_t> order(field_.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto& desa = g_.sampler_->desa();
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      KodeWilayah da = desa[field_[a].desa].code;
      KodeWilayah db = desa[field_[b].desa].code;
      if (da != db) return da < db;
      if (field_[a].order_key != field_[b].order_key)
        return field_[a].order_key < field_[b].order_key;
      return a < b;
    });
    std::vector<int32_t> ruta(field_.size());
    PADAN_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> papi,
                           OutputFile::Open((dir / "field_papi.csv").string()));
    PADAN_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> capi,
                           OutputFile::Open((dir / "field_capi.ndjson").string()));
    PADAN_RETURN_IF_ERROR(papi->Append(StrCat(kPapiHeader, "\n")));
    std::string papi_rows;
    std::string capi_lines;
    KodeWilayah current = 0;
    int32_t number = 0;
    for (uint32_t i : order) {
      const FieldHousehold& f = field_[i];
      KodeWilayah code = desa[f.desa].code;
      number = code == current ? number + 1 : 1;
      current = code;
      ruta[i] = number;
      papi_rows.clear();
      capi_lines.clear();
      field_writer_.AppendPapi(f, number, &papi_rows);
      field_writer_.AppendCapi(f, number, &capi_lines);
      PADAN_RETURN_IF_ERROR(papi->Append(papi_rows));
      PADAN_RETURN_IF_ERROR(capi->Append(capi_lines));
      ++report_.field_households;
      report_.field_persons += static_cast<int64_t>(f.members.size());
    }
    PADAN_RETURN_IF_ERROR(papi->Close());
    PADAN_RETURN_IF_ERROR(capi->Close());

    PADAN_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> truth,
                           OutputFile::Open((dir / "prelist_truth.csv").string()));
    std::string out = "side,record_id,outcome,matched_id,changed_fields\n";
    for (const PrelistEntry& e : entries_) {
      std::string matched;
      if (e.outcome == VerivaliOutcome::kGanda) {
        matched = e.ganda_of;
      } else if (e.field_household >= 0) {
        matched = FieldRecordId(desa[field_[e.field_household].desa].code, ruta[e.field_household],
                                e.field_member + 1);
      }
      StrAppend(&out, "prelist,", e.id_art, ",", VerivaliOutcomeName(e.outcome), ",", matched, ",",
                ChangedFieldNames(e.changed), "\n");
      if (out.size() > (1 << 20)) {
        PADAN_RETURN_IF_ERROR(truth->Append(out));
        out.clear();
      }
    }
    for (uint32_t i : order) {
      const FieldHousehold& f = field_[i];
      for (size_t m = 0; m < f.members.size(); ++m) {
        if (!f.members[m].baru) continue;
        ++report_.outcomes[static_cast<int>(VerivaliOutcome::kBaru)];
        StrAppend(&out, "field,",
                  FieldRecordId(desa[f.desa].code, ruta[i], static_cast<int>(m) + 1), ",baru,,\n");
      }
      if (out.size() > (1 << 20)) {
        PADAN_RETURN_IF_ERROR(truth->Append(out));
        out.clear();
      }
    }
    PADAN_RETURN_IF_ERROR(truth->Append(out));
    return truth->Close();
  }

  absl::Status Close() {
    PADAN_RETURN_IF_ERROR(dtks_->Close());
    PADAN_RETURN_IF_ERROR(truth_->Close());
    if (prelist_ != nullptr) {
      PADAN_RETURN_IF_ERROR(prelist_->Close());
      PADAN_RETURN_IF_ERROR(FinishPrelist());
    }
    return absl::OkStatus();
  }

  GeneratorReport& report() { return report_; }

 private:
  uint64_t NextNik(const GenPerson& p) {
    const bool female = p.sex == Sex::kPerempuan;
    uint64_t nik = nik_serials_.Next(NikPrefix(p.nik_kecamatan, p.birth_days, female));
    if (nik != 0) return nik;
    // All 9999 serials of this kecamatan and date are taken: the NIK is issued in another
    // kecamatan of the same kab/kota, as a person registered there would be.
    for (const KecamatanInfo& k : g_.sampler_->kecamatan()) {
      if (k.code / 100 != p.nik_kecamatan / 100) continue;
      nik = nik_serials_.Next(NikPrefix(k.code, p.birth_days, female));
      if (nik != 0) return nik;
    }
    return 0;
  }

  uint64_t NextNoKk(uint32_t desa, int32_t issue_days) {
    const KodeWilayah kecamatan =
        g_.sampler_->kecamatan()[g_.sampler_->desa()[desa].kecamatan].code;
    uint64_t no_kk = kk_serials_.Next(NoKkPrefix(kecamatan, issue_days));
    // A day's serials exhausted: the card carries the next day's date.
    for (int32_t day = 1; no_kk == 0 && day < 366; ++day) {
      no_kk = kk_serials_.Next(NoKkPrefix(kecamatan, issue_days + day));
    }
    return no_kk;
  }

  void CountDuplicate(const GenPerson& p) {
    ++report_.duplicate_records;
    bool person_level = false;
    for (int c = 0; c < kCorruptionCount; ++c) {
      Corruption corruption = static_cast<Corruption>(c);
      if (!Has(p.corruptions, corruption)) continue;
      ++report_.duplicates_by_corruption[c];
      if (corruption != Corruption::kMovedDesa && corruption != Corruption::kNikMissing &&
          corruption != Corruption::kNikShort) {
        person_level = true;
      }
    }
    if (!person_level) ++report_.exact_copies;
  }

  void AddPrelistEntry(const PrelistResult& r, const std::vector<std::vector<std::string>>& ids,
                       uint32_t household, size_t member, int64_t field_base) {
    PrelistEntry e;
    e.id_art = ids[household][member];
    e.outcome = r.outcome;
    e.changed = r.changed;
    if (r.field_household >= 0) {
      e.field_household = field_base + r.field_household;
      e.field_member = r.field_member;
    }
    if (r.outcome == VerivaliOutcome::kGanda) {
      e.ganda_of = ids[r.ganda_of.household][r.ganda_of.member];
    }
    ++report_.prelist_persons;
    ++report_.outcomes[static_cast<int>(r.outcome)];
    entries_.push_back(std::move(e));
  }

  const Generator& g_;
  const GeneratorOptions& options_;
  SiksNgWriter writer_;
  FieldResultWriter field_writer_;
  SerialRegistry nik_serials_;
  SerialRegistry kk_serials_;
  uint64_t id_key_person_ = 0;
  uint64_t id_key_household_ = 0;
  std::unique_ptr<OutputFile> dtks_;
  std::unique_ptr<OutputFile> truth_;
  std::unique_ptr<OutputFile> prelist_;
  std::string dtks_buffer_;
  std::string truth_buffer_;
  std::string prelist_buffer_;
  std::vector<FieldHousehold> field_;
  std::vector<PrelistEntry> entries_;
  GeneratorReport report_;
};

GeneratorOptions DemoOptions(std::string out_dir) {
  GeneratorOptions options;
  options.persons = 200'000;
  options.seed = 20250630;  // the snapshot date
  options.dup_rate = 0.1;
  options.prelist = true;
  options.out_dir = std::move(out_dir);
  return options;
}

absl::StatusOr<std::unique_ptr<Generator>> Generator::Create(const RegionTable& regions,
                                                             const PopulationTable& population,
                                                             const NameFrequencyTable& names) {
  std::unique_ptr<Generator> g(new Generator());
  PADAN_ASSIGN_OR_RETURN(g->customs_, NameCustomTable::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(g->titles_, TitleTable::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(g->sampler_, RegionSampler::Create(regions, population, *g->customs_));
  g->names_ = std::make_unique<NameGenerator>(*g->customs_, names);
  g->households_ = std::make_unique<HouseholdGenerator>(*g->sampler_, *g->names_, *g->titles_);
  g->corruptor_ = std::make_unique<Corruptor>(*g->names_, *g->titles_);
  g->duplicates_ = std::make_unique<DuplicateGenerator>(*g->households_, *g->corruptor_);
  g->prelist_ = std::make_unique<PrelistGenerator>(*g->households_);
  g->blocks_ = std::make_unique<BlockGenerator>(*g->households_, *g->duplicates_, *g->prelist_);
  return g;
}

absl::Status Generator::ValidateOptions(const GeneratorOptions& options) {
  if (options.persons < 1 || options.persons > kMaxPersons) {
    return absl::InvalidArgumentError(
        StrCat("--persons must be from 1 to ", kMaxPersons, ", got ", options.persons));
  }
  if (!(options.dup_rate >= 0 && options.dup_rate <= 1)) {
    return absl::InvalidArgumentError(
        StrCat("--dup-rate must be from 0 to 1, got ", options.dup_rate));
  }
  if (!(options.prelist_share > 0 && options.prelist_share <= 1)) {
    return absl::InvalidArgumentError(
        StrCat("--prelist-share must be above 0 and at most 1, got ", options.prelist_share));
  }
  if (options.threads < 0) {
    return absl::InvalidArgumentError(StrCat("--threads must be 0 or more, got ", options.threads));
  }
  if (options.out_dir.empty()) return absl::InvalidArgumentError("--out must name a directory");
  return absl::OkStatus();
}

std::vector<bool> Generator::PrelistArea(uint64_t seed, double share) const {
  const auto& kabs = sampler_->kab_kota();
  std::vector<uint32_t> order(kabs.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  Rng rng(seed, RngStream::kPlanning, 0);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Uniform(i)]);
  int64_t total = 0;
  for (const KabKotaInfo& k : kabs) total += k.population;
  std::vector<bool> area(kabs.size(), false);
  int64_t covered = 0;
  for (uint32_t i : order) {
    if (static_cast<double>(covered) >= share * static_cast<double>(total)) break;
    if (kabs[i].desa_end == kabs[i].desa_begin) continue;
    area[i] = true;
    covered += kabs[i].population;
  }
  return area;
}

Block Generator::GenerateBlock(uint64_t index, int64_t persons, const GeneratorOptions& options,
                               const std::vector<bool>* prelist_area) const {
  BlockOptions block_options;
  block_options.seed = options.seed;
  block_options.dup_rate = options.dup_rate;
  block_options.prelist_area = prelist_area;
  return blocks_->Generate(index, persons, block_options);
}

absl::StatusOr<GeneratorReport> Generator::Run(const GeneratorOptions& options,
                                               const Progress& progress) const {
  PADAN_RETURN_IF_ERROR(ValidateOptions(options));
  std::error_code error;
  std::filesystem::create_directories(options.out_dir, error);
  if (error) {
    return absl::PermissionDeniedError(
        StrCat("cannot create directory ", options.out_dir, ": ", error.message()));
  }
  if (!options.prelist) {
    // Verivali files of an earlier run in the same directory would no longer match.
    for (const char* stale :
         {"prelist.csv", "field_papi.csv", "field_capi.ndjson", "prelist_truth.csv"}) {
      std::filesystem::remove(std::filesystem::path(options.out_dir) / stale, error);
    }
  }
  Committer committer(*this, options);
  PADAN_RETURN_IF_ERROR(committer.Open());

  std::vector<bool> area;
  if (options.prelist) area = PrelistArea(options.seed, options.prelist_share);
  const std::vector<bool>* area_ptr = options.prelist ? &area : nullptr;
  const uint64_t blocks =
      static_cast<uint64_t>((options.persons + kBlockPersons - 1) / kBlockPersons);
  auto block_persons = [&](uint64_t index) {
    return index + 1 < blocks ? kBlockPersons
                              : options.persons - static_cast<int64_t>(index) * kBlockPersons;
  };
  unsigned hardware = std::thread::hardware_concurrency();
  const int workers =
      options.threads > 0 ? options.threads : static_cast<int>(hardware == 0 ? 1 : hardware);

  BlockPipeline pipeline(blocks, kBlocksAheadPerWorker * static_cast<uint64_t>(workers));
  auto work = [&]() {
    while (std::optional<uint64_t> index = pipeline.Take()) {
      pipeline.Put(*index, std::make_unique<Block>(
                               GenerateBlock(*index, block_persons(*index), options, area_ptr)));
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < workers; ++i) threads.emplace_back(work);

  absl::Status status;
  for (uint64_t index = 0; index < blocks && status.ok(); ++index) {
    std::unique_ptr<Block> block = pipeline.Wait(index);
    status = committer.Commit(*block);
    if (progress) progress(committer.report().persons, options.persons);
  }
  pipeline.Stop();
  for (std::thread& t : threads) t.join();
  PADAN_RETURN_IF_ERROR(status);
  PADAN_RETURN_IF_ERROR(committer.Close());

  GeneratorReport report = committer.report();
  int64_t listed = 0;
  for (size_t i = 0; i < area.size(); ++i) listed += area[i] ? 1 : 0;
  report.prelist_kab_kota = listed;
  PADAN_ASSIGN_OR_RETURN(
      std::unique_ptr<OutputFile> json,
      OutputFile::Open((std::filesystem::path(options.out_dir) / "gen.json").string()));
  PADAN_RETURN_IF_ERROR(json->Append(report.ToJson(options)));
  PADAN_RETURN_IF_ERROR(json->Close());
  return report;
}

std::string GeneratorReport::ToJson(const GeneratorOptions& options) const {
  std::string out;
  StrAppend(&out, "{\n  \"version\": \"", kGeneratorVersion, "\",\n");
  StrAppend(&out, "  \"parameters\": {\"persons\": ", options.persons, ", \"seed\": ", options.seed,
            ", \"dup_rate\": ", absl::StrFormat("%.6g", options.dup_rate),
            ", \"prelist\": ", options.prelist ? "true" : "false");
  if (options.prelist) {
    StrAppend(&out, ", \"prelist_share\": ", absl::StrFormat("%.6g", options.prelist_share));
  }
  StrAppend(&out, "},\n");
  StrAppend(&out, "  \"snapshot_date\": \"", FormatDateIso(SnapshotDays()), "\",\n");
  StrAppend(&out, "  \"counts\": {\"persons\": ", persons, ", \"households\": ", households,
            ", \"records\": ", persons + duplicate_records,
            ", \"duplicate_records\": ", duplicate_records,
            ", \"duplicate_households\": ", duplicate_households,
            ", \"exact_copies\": ", exact_copies, "},\n");
  auto counts = [&](const std::array<int64_t, kCorruptionCount>& values) {
    std::string s = "{";
    bool first = true;
    for (int c = 0; c < kCorruptionCount; ++c) {
      if (values[c] == 0) continue;
      StrAppend(&s, first ? "" : ", ", "\"", CorruptionName(static_cast<Corruption>(c)),
                "\": ", values[c]);
      first = false;
    }
    return s + "}";
  };
  StrAppend(&out, "  \"duplicates_by_corruption\": ", counts(duplicates_by_corruption), ",\n");
  StrAppend(&out, "  \"original_problems\": ", counts(original_problems));
  if (options.prelist) {
    StrAppend(
        &out, ",\n  \"verivali\": {\"enumeration_date\": \"", FormatDateIso(EnumerationDays()),
        "\", \"kab_kota\": ", prelist_kab_kota, ", \"prelist_households\": ", prelist_households,
        ", \"prelist_persons\": ", prelist_persons, ", \"field_households\": ", field_households,
        ", \"field_persons\": ", field_persons, ", \"outcomes\": {");
    bool first = true;
    for (int o = 1; o < static_cast<int>(outcomes.size()); ++o) {
      StrAppend(&out, first ? "" : ", ", "\"", VerivaliOutcomeName(static_cast<VerivaliOutcome>(o)),
                "\": ", outcomes[o]);
      first = false;
    }
    StrAppend(&out, "}}");
  }
  StrAppend(&out, "\n}\n");
  return out;
}

}  // namespace padan::gen
