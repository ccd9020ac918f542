// Benchmarks of RecordStore on realistic synthetic DTKS rows: Add throughput and the store's
// bytes per person (budget: 120 at 10 M persons, DESIGN.md §7), id lookups, and snapshots:
// Save (file written and fsynced) and Load (file read, checksummed, decoded and indexed;
// start-up budget: 10 M persons ready in 10 s with every index, so the store takes well
// under 5 s).
//
//   record_store_bench                             smoke (10 k) and 1 M persons
//   record_store_bench --persons=10000000          adds a 10 M case: the budget run (~1.2 GB
//                                                  in memory, ~1 GB of snapshot on disk)
//   record_store_bench --benchmark_filter=/smoke   what CI runs
//   --snapshot_dir=DIR                             where snapshots go (default: the temp dir)
//
// Load runs warm (the file in the page cache, as right after Save) and cold (its pages
// dropped with posix_fadvise first, as after a reboot: then the disk's speed shows).
//
// Rows come from a fixed seed: name tokens drawn by their frequency among women or men
// (data/reference/names), 2-4 tokens per name; desa codes of the 2025 Kemendagri table;
// households of 1-8 members (mean 3.75) whose children mostly name their mother as she is
// written in the household; birthplaces from the ~7,800 kab/kota and kecamatan names, mostly
// the household's own; 16-digit id_art, id_keluarga, NIK and No KK with a few percent of them
// missing or invalid. Rows arrive grouped by household, as DTKS exports list them.
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"

#include "data/name_frequency_table.h"
#include "data/record.h"
#include "data/region_table.h"
#include "data/status_macros.h"
#include "index/record_store.h"
#include "index/snapshot_file.h"

namespace padan {
namespace {

constexpr uint64_t kSeed = 20240617;
// Rows generated per batch: generation is paused out of the timing between batches.
constexpr size_t kBatchPersons = 1 << 16;
constexpr int64_t kSmokePersons = 10'000;
constexpr int64_t kMillionPersons = 1'000'000;

// Resident set size of this process, from /proc/self/statm (second field, in pages).
size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t total_pages = 0;
  size_t resident_pages = 0;
  statm >> total_pages >> resident_pages;
  return resident_pages * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

std::string Upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

// Draws indexes with probability proportional to their weights.
class WeightedPicker {
 public:
  void Add(uint64_t weight) { cumulative_.push_back(total_ += weight); }
  size_t Pick(std::mt19937_64& rng) const {
    const uint64_t x = rng() % total_;
    return static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), x) -
                               cumulative_.begin());
  }

 private:
  std::vector<uint64_t> cumulative_;
  uint64_t total_ = 0;
};

// Reference data the generator draws from; loaded once per process.
struct Tables {
  std::vector<std::string> tokens;  // upper case
  WeightedPicker female;
  WeightedPicker male;
  struct Desa {
    uint64_t code;
    uint32_t kabupaten_name;  // index into places
    uint32_t kecamatan_name;
  };
  std::vector<Desa> desa;
  std::vector<std::string> places;  // birthplaces: kab/kota and kecamatan names
  uint32_t kabupaten_count = 0;     // places[0, kabupaten_count) are kab/kota names
};

absl::StatusOr<const Tables*> LoadTables() {
  auto t = std::make_unique<Tables>();
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<NameFrequencyTable> names,
                         NameFrequencyTable::LoadEmbedded());
  for (const NameTokenFrequency& token : names->tokens()) {
    t->tokens.push_back(Upper(token.token));
    t->female.Add(token.female);
    t->male.Add(token.male);
  }
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<RegionTable> regions, RegionTable::LoadEmbedded());
  absl::flat_hash_map<uint64_t, uint32_t> place_of_code;
  auto add_places = [&](RegionLevel level) {
    for (const Region* region : regions->AtLevel(level)) {
      std::string_view name = region->nama;
      for (std::string_view prefix : {"Kabupaten ", "Kota "}) {
        if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
      }
      place_of_code[region->code] = static_cast<uint32_t>(t->places.size());
      t->places.push_back(Upper(name));
    }
  };
  add_places(RegionLevel::kKabKota);
  t->kabupaten_count = static_cast<uint32_t>(t->places.size());
  add_places(RegionLevel::kKecamatan);
  for (const Region* desa : regions->AtLevel(RegionLevel::kDesa)) {
    t->desa.push_back({desa->code, place_of_code[AncestorCode(desa->code, RegionLevel::kKabKota)],
                       place_of_code[AncestorCode(desa->code, RegionLevel::kKecamatan)]});
  }
  if (t->tokens.empty() || t->desa.empty()) {
    return absl::FailedPreconditionError("the embedded name or region table is empty");
  }
  return t.release();
}

// The tables, loaded once per process; an error means the embedded reference data is broken.
const absl::StatusOr<const Tables*>& GetTables() {
  static const auto* tables = new absl::StatusOr<const Tables*>(LoadTables());
  return *tables;
}

constexpr const char* kPekerjaan[] = {"PETANI/PEKEBUN",
                                      "BURUH HARIAN LEPAS",
                                      "MENGURUS RUMAH TANGGA",
                                      "PELAJAR/MAHASISWA",
                                      "BELUM/TIDAK BEKERJA",
                                      "WIRASWASTA",
                                      "KARYAWAN SWASTA",
                                      "NELAYAN/PERIKANAN",
                                      "PEDAGANG",
                                      "BURUH TANI/PERKEBUNAN",
                                      "SOPIR",
                                      "TUKANG BATU",
                                      "TUKANG KAYU",
                                      "PEGAWAI NEGERI SIPIL",
                                      "GURU",
                                      "PERANGKAT DESA",
                                      "PENSIUNAN",
                                      "PETERNAK",
                                      "BURUH NELAYAN/PERIKANAN",
                                      "KARYAWAN HONORER",
                                      "TUKANG JAHIT",
                                      "MEKANIK",
                                      "LAINNYA"};
constexpr const char* kPendidikan[] = {"TIDAK/BELUM SEKOLAH",
                                       "BELUM TAMAT SD/SEDERAJAT",
                                       "TAMAT SD/SEDERAJAT",
                                       "SLTP/SEDERAJAT",
                                       "SLTA/SEDERAJAT",
                                       "DIPLOMA I/II",
                                       "AKADEMI/DIPLOMA III/S. MUDA",
                                       "DIPLOMA IV/STRATA I",
                                       "STRATA II"};
constexpr const char* kDisabilitas[] = {"TUNA DAKSA",  "TUNA NETRA",   "TUNA RUNGU",
                                        "TUNA WICARA", "TUNA GRAHITA", "DISABILITAS MENTAL"};
constexpr const char* kDusun[] = {
    "KRAJAN",      "KRAJAN I",   "KRAJAN II",  "WETAN",       "KULON",        "LOR",
    "KIDUL",       "TENGAH",     "SUKAMAJU",   "SUKAMAKMUR",  "MEKARSARI",    "CIBURUY",
    "KARANGANYAR", "SIDOMULYO",  "SUMBERSARI", "TANJUNGSARI", "DUSUN I",      "DUSUN II",
    "DUSUN III",   "DUSUN IV",   "DUSUN V",    "DUSUN VI",    "KAMPUNG BARU", "PASAR",
    "BABAKAN",     "GUNUNGSARI", "MARGAMULYA", "PANGKALAN"};
// Household sizes 1..8 by how often they occur (mean 3.75).
constexpr uint32_t kHouseholdSizeWeights[] = {8, 15, 22, 25, 16, 9, 3, 2};

// Generates households with their members, deterministically from kSeed. Writes into the
// caller's records so that their strings keep their buffers from batch to batch.
class RowGenerator {
 public:
  explicit RowGenerator(const Tables& tables) : t_(tables), rng_(kSeed) {
    for (uint32_t w : kHouseholdSizeWeights) sizes_.Add(w);
  }

  // Fills `h` and its N members at persons[first, first + N), growing `persons` if needed;
  // returns N.
  size_t Next(Household* h, std::vector<Person>* persons, size_t first) {
    const Tables::Desa& desa = t_.desa[rng_() % t_.desa.size()];
    const uint64_t kecamatan = desa.code / 10'000;
    GenerateHousehold(desa, kecamatan, h);
    const size_t size = 1 + sizes_.Pick(rng_);
    if (persons->size() < first + size) persons->resize(first + size);
    const bool has_istri = size >= 2 && Chance(90);
    const Person* mother = nullptr;
    for (size_t i = 0; i < size; ++i) {
      Person& p = (*persons)[first + i];
      Hubungan role = i == 0                ? Hubungan::kKepalaKeluarga
                      : i == 1 && has_istri ? Hubungan::kIstriSuami
                      : Chance(88)          ? Hubungan::kAnak
                      : Chance(50)          ? Hubungan::kCucu
                                            : Hubungan::kOrangTua;
      GeneratePerson(desa, kecamatan, role, mother, &p);
      if (role == Hubungan::kIstriSuami) mother = &p;
    }
    return size;
  }

 private:
  bool Chance(int percent) { return rng_() % 100 < static_cast<uint64_t>(percent); }
  uint64_t Uniform(uint64_t n) { return rng_() % n; }

  void AppendName(bool female, int tokens, std::string* out) {
    out->clear();
    for (int i = 0; i < tokens; ++i) {
      if (i > 0) out->push_back(' ');
      out->append(t_.tokens[(female ? t_.female : t_.male).Pick(rng_)]);
    }
  }

  // A 16-digit id: a counter scrambled by a multiplier coprime to 9e15, so ids are unique,
  // look random and never start with 0.
  static void IdText(uint64_t counter, uint64_t multiplier, std::string* out) {
    constexpr uint64_t kRange = 9'000'000'000'000'000;
    out->assign(absl::StrFormat("%016d", 1'000'000'000'000'000 + counter * multiplier % kRange));
  }

  // A NIK or No KK: kecamatan, DDMMYY (+40 on the day for women), serial; mostly valid.
  void GenerateIdNumber(uint64_t kecamatan, Date date, bool female, std::string* text,
                        uint64_t* value, uint16_t* flags, uint16_t missing_flag,
                        uint16_t invalid_flag) {
    const uint64_t roll = Uniform(100);
    if (roll < 3) {
      text->clear();
      *value = 0;
      *flags |= missing_flag;
      return;
    }
    int day = date.missing() || date.day() == 0 ? 1 : date.day();
    int month = date.missing() || date.month() == 0 ? 1 : date.month();
    int year = date.missing() ? 1980 : date.year();
    if (female) day += 40;
    const uint64_t number = kecamatan * 10'000'000'000 +
                            static_cast<uint64_t>(day * 10000 + month * 100 + year % 100) * 10000 +
                            1 + Uniform(9999);
    if (roll < 5) {  // spreadsheet damage or a dropped digit: kept as text, no value
      *value = 0;
      *flags |= invalid_flag;
      text->assign(roll == 3 ? absl::StrFormat("%.5E", static_cast<double>(number))
                             : absl::StrFormat("%d", number / 10));
      return;
    }
    *value = number;
    text->assign(absl::StrFormat("%016d", number));
  }

  void GenerateHousehold(const Tables::Desa& desa, uint64_t kecamatan, Household* h) {
    IdText(household_counter_++, 2'654'435'761, &h->id_keluarga);
    uint16_t flags = 0;
    GenerateIdNumber(
        kecamatan,
        Date::FromYmd(2000 + static_cast<int>(Uniform(25)), 1 + Uniform(12), 1 + Uniform(28)),
        false, &h->no_kk, &h->no_kk_value, &flags, kHouseholdNoKkMissing, kHouseholdNoKkInvalid);
    h->flags = static_cast<uint8_t>(flags);
    const uint64_t rt = 1 + Uniform(20);
    const uint64_t rw = 1 + Uniform(10);
    h->rt.assign(absl::StrFormat("%03d", rt));
    h->rw.assign(absl::StrFormat("%03d", rw));
    h->dusun.assign(Chance(30) ? "" : kDusun[Uniform(std::size(kDusun))]);
    const std::string& street = t_.tokens[t_.male.Pick(rng_)];
    switch (Uniform(10)) {
      case 0:
      case 1:
      case 2:
      case 3:
        h->alamat.assign(absl::StrFormat("JL. %s NO. %d", street, 1 + Uniform(150)));
        break;
      case 4:
      case 5:
        h->alamat.assign(absl::StrFormat("KP. %s", street));
        break;
      case 6:
      case 7:
        h->alamat.assign(absl::StrFormat("DUSUN %s RT %03d RW %03d",
                                         h->dusun.empty() ? street : h->dusun, rt, rw));
        break;
      case 8:
        h->alamat.assign(absl::StrFormat("GG. %s", street));
        break;
      default:
        h->alamat.clear();
    }
    h->kode_wilayah = desa.code;
    h->desil = static_cast<uint8_t>(1 + Uniform(10));
    h->program = static_cast<ProgramSet>(Uniform(128));
    h->status = Chance(95) ? HouseholdStatus::kAktif : HouseholdStatus::kNonaktif;
    h->updated_at =
        Date::FromYmd(2023 + static_cast<int>(Uniform(3)), 1 + Uniform(12), 1 + Uniform(28));
  }

  void GeneratePerson(const Tables::Desa& desa, uint64_t kecamatan, Hubungan role,
                      const Person* mother, Person* p) {
    IdText(person_counter_++, 2'246'822'519, &p->id_art);
    const bool female = role == Hubungan::kIstriSuami ||
                        (role != Hubungan::kKepalaKeluarga ? Chance(50) : Chance(15));
    p->jenis_kelamin = female ? Sex::kPerempuan : Sex::kLakiLaki;
    p->hubungan = role;
    const int tokens = Chance(40) ? 2 : Chance(75) ? 3 : 4;
    AppendName(female, tokens, &p->nama);
    if (mother != nullptr && Chance(85)) {
      p->nama_ibu_kandung.assign(mother->nama);
    } else if (Chance(95)) {
      AppendName(true, Chance(50) ? 2 : 3, &p->nama_ibu_kandung);
    } else {
      p->nama_ibu_kandung.clear();
    }
    const bool adult = role == Hubungan::kKepalaKeluarga || role == Hubungan::kIstriSuami ||
                       role == Hubungan::kOrangTua;
    const int year =
        adult ? 1940 + static_cast<int>(Uniform(60)) : 1985 + static_cast<int>(Uniform(40));
    p->flags = 0;
    p->tanggal_lahir_text.clear();
    const uint64_t date_roll = Uniform(100);
    if (date_roll == 0) {
      p->tanggal_lahir = Date();
      p->tanggal_lahir_text.assign(absl::StrFormat("31-02-%d", year));
      p->flags |= kPersonDobInvalid;
    } else if (date_roll == 1) {
      p->tanggal_lahir = Date();
      p->flags |= kPersonDobMissing;
    } else if (date_roll < 5) {
      p->tanggal_lahir = Date::FromYear(year);
    } else {
      p->tanggal_lahir = Date::FromYmd(year, 1 + Uniform(12), 1 + Uniform(28));
    }
    GenerateIdNumber(kecamatan, p->tanggal_lahir, female, &p->nik, &p->nik_value, &p->flags,
                     kPersonNikMissing, kPersonNikInvalid);
    const uint64_t place_roll = Uniform(100);
    p->tempat_lahir.assign(place_roll < 60   ? t_.places[desa.kabupaten_name]
                           : place_roll < 85 ? t_.places[desa.kecamatan_name]
                           : place_roll < 97 ? t_.places[Uniform(t_.kabupaten_count)]
                                             : "");
    p->status_kawin = adult                       ? StatusKawin::kKawin
                      : year < 2000 && Chance(50) ? StatusKawin::kKawin
                                                  : StatusKawin::kBelumKawin;
    p->pekerjaan.assign(year > 2008 ? "PELAJAR/MAHASISWA"
                                    : kPekerjaan[Uniform(std::size(kPekerjaan))]);
    p->pendidikan.assign(kPendidikan[Uniform(std::size(kPendidikan))]);
    p->disabilitas.assign(Chance(3) ? kDisabilitas[Uniform(std::size(kDisabilitas))] : "");
    p->status_hidup = Chance(2) ? StatusHidup::kMeninggal : StatusHidup::kHidup;
  }

  const Tables& t_;
  std::mt19937_64 rng_;
  WeightedPicker sizes_;
  uint64_t household_counter_ = 0;
  uint64_t person_counter_ = 0;
};

// One batch of rows. Its records are reused from batch to batch, so after the first batch
// the generator allocates (almost) nothing and the resident-memory growth is the store's.
struct Batch {
  std::vector<Household> households;
  std::vector<Person> persons;
  std::vector<uint32_t> household_of;  // index into households, per person
  size_t household_count = 0;
  size_t person_count = 0;

  // Generates whole households until the batch holds at least `target` persons.
  void Fill(RowGenerator& generator, size_t target) {
    household_count = 0;
    person_count = 0;
    while (person_count < target) {
      if (household_count == households.size()) households.emplace_back();
      const size_t n = generator.Next(&households[household_count], &persons, person_count);
      household_of.resize(std::max(household_of.size(), person_count + n));
      std::fill_n(household_of.begin() + static_cast<ptrdiff_t>(person_count), n,
                  static_cast<uint32_t>(household_count));
      person_count += n;
      ++household_count;
    }
  }
};

// Builds a store of `persons` rows; returns it after checking that the last batch reads back,
// or nullptr after reporting an error on `state`. With `timed`, only the Add calls are timed:
// the caller has paused the timer.
std::unique_ptr<RecordStore> BuildStore(benchmark::State& state, bool timed, size_t persons,
                                        size_t* rss_growth) {
  if (!GetTables().ok()) {
    state.SkipWithError(std::string(GetTables().status().message()).c_str());
    return nullptr;
  }
  RowGenerator generator(**GetTables());
  Batch batch;
  batch.Fill(generator, std::min(persons, kBatchPersons));
  auto store = std::make_unique<RecordStore>();
  // Hand freed heap pages (the reference tables' temporaries, an earlier store) back to the
  // kernel, so that the store cannot grow into them unseen by the resident-memory count.
  malloc_trim(0);
  const size_t rss_before = ResidentBytes();
  size_t added = 0;
  while (true) {
    if (timed) state.ResumeTiming();
    for (size_t i = 0; i < batch.person_count; ++i) {
      absl::StatusOr<PersonId> id =
          store->Add(batch.households[batch.household_of[i]], batch.persons[i]);
      if (!id.ok()) {
        state.SkipWithError(std::string(id.status().message()).c_str());
        return nullptr;
      }
    }
    if (timed) state.PauseTiming();
    added += batch.person_count;
    if (added >= persons) break;
    batch.Fill(generator, std::min(persons - added, kBatchPersons));
  }
  *rss_growth = ResidentBytes() - rss_before;
  // Check the answer: every person of the last batch reads back as generated.
  for (size_t i = 0; i < batch.person_count; ++i) {
    const Person& want = batch.persons[i];
    std::optional<PersonId> id = store->FindPerson(want.id_art);
    if (!id.has_value()) {
      state.SkipWithError("an added person is not found");
      return nullptr;
    }
    const Person got = store->GetPerson(*id);
    if (got.nama != want.nama || got.nama_ibu_kandung != want.nama_ibu_kandung ||
        got.nik != want.nik || got.nik_value != want.nik_value ||
        got.tempat_lahir != want.tempat_lahir || got.pekerjaan != want.pekerjaan ||
        got.id_keluarga != batch.households[batch.household_of[i]].id_keluarga) {
      state.SkipWithError("a stored person does not read back as added");
      return nullptr;
    }
  }
  return store;
}

void BM_RecordStore_Add(benchmark::State& state) {
  const auto persons = static_cast<size_t>(state.range(0));
  GetTables();  // loaded before the first measurement of resident memory
  for (auto _ : state) {
    state.PauseTiming();
    size_t rss_growth = 0;
    std::unique_ptr<RecordStore> store = BuildStore(state, /*timed=*/true, persons, &rss_growth);
    if (store == nullptr) return;
    const RecordStore::MemoryBreakdown m = store->Memory();
    const auto per_person = [&](size_t bytes) {
      return static_cast<double>(bytes) / static_cast<double>(store->person_count());
    };
    state.counters["bytes_per_person"] = per_person(m.total());
    state.counters["rss_bytes_per_person"] = per_person(rss_growth);
    state.counters["person_columns_bpp"] = per_person(m.person_columns);
    state.counters["person_text_bpp"] = per_person(m.person_text);
    state.counters["household_bpp"] = per_person(m.household_columns + m.household_text);
    state.counters["id_maps_bpp"] = per_person(m.id_maps);
    state.counters["dictionaries_bpp"] = per_person(m.dictionaries);
    state.counters["persons_per_household"] =
        static_cast<double>(store->person_count()) / static_cast<double>(store->household_count());
    store.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * persons));
}

// A store of `persons` rows, built once per size and kept: the framework calls a benchmark
// function several times to settle on an iteration count, and several benchmarks share it.
// nullptr after reporting an error on `state`.
const RecordStore* SharedStore(benchmark::State& state, size_t persons) {
  static auto* stores = new std::map<size_t, std::unique_ptr<RecordStore>>;
  std::unique_ptr<RecordStore>& store = (*stores)[persons];
  if (store == nullptr) {
    size_t rss_growth = 0;
    store = BuildStore(state, /*timed=*/false, persons, &rss_growth);
  }
  return store.get();
}

void BM_RecordStore_FindPerson(benchmark::State& state) {
  const auto persons = static_cast<size_t>(state.range(0));
  const RecordStore* store = SharedStore(state, persons);
  if (store == nullptr) return;
  // Probe ids in a random order, as lookups from requests arrive.
  constexpr size_t kProbes = 4096;
  std::mt19937_64 rng(kSeed);
  std::vector<std::string> ids;
  for (size_t i = 0; i < kProbes; ++i) {
    ids.emplace_back(store->id_art(PersonId(static_cast<uint32_t>(rng() % persons))));
  }
  size_t i = 0;
  for (auto _ : state) {
    std::optional<PersonId> id = store->FindPerson(ids[i++ % kProbes]);
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

std::string& SnapshotDir() {
  static auto* dir = new std::string(std::filesystem::temp_directory_path().string());
  return *dir;
}

// Snapshot files written by this run, removed when it ends.
std::vector<std::string>& WrittenSnapshots() {
  static auto* paths = new std::vector<std::string>;
  return *paths;
}

std::string SnapshotPath(size_t persons) {
  std::string path = absl::StrFormat("%s/padan_record_store_bench_%d.snp", SnapshotDir(), persons);
  if (std::find(WrittenSnapshots().begin(), WrittenSnapshots().end(), path) ==
      WrittenSnapshots().end()) {
    WrittenSnapshots().push_back(path);
  }
  return path;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// CPU seconds of this process: on a shared machine, the part of a wall time that is ours.
double CpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

absl::Status SaveSnapshot(const RecordStore& store, const std::string& path) {
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<SnapshotWriter> writer, SnapshotWriter::Create(path));
  PADAN_RETURN_IF_ERROR(store.Save(*writer));
  return writer->Finish();
}

// Drops the file's pages from the page cache (they are clean once Save has fsynced them).
void DropFromPageCache(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

// Counters shared by Save and Load: the file's size, throughput and persons per second.
void ReportSnapshot(benchmark::State& state, const std::string& path, size_t persons,
                    double seconds) {
  const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  state.counters["file_MB"] = mb;
  state.counters["seconds"] = seconds;
  state.counters["MB_per_s"] = mb / seconds;
  state.counters["persons_per_s"] = static_cast<double>(persons) / seconds;
  state.counters["file_bytes_per_person"] = mb * 1e6 / static_cast<double>(persons);
}

void BM_RecordStore_Save(benchmark::State& state) {
  const auto persons = static_cast<size_t>(state.range(0));
  const RecordStore* store = SharedStore(state, persons);
  if (store == nullptr) return;
  const std::string path = SnapshotPath(persons);
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    if (absl::Status s = SaveSnapshot(*store, path); !s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      return;
    }
    seconds = SecondsSince(start);
  }
  ReportSnapshot(state, path, persons, seconds);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * persons));
}

// Loads the snapshot of the shared store; state.range(1) != 0 drops it from the page cache
// first. The first load is checked against the store it was saved from.
void BM_RecordStore_Load(benchmark::State& state) {
  const auto persons = static_cast<size_t>(state.range(0));
  const bool cold = state.range(1) != 0;
  const RecordStore* store = SharedStore(state, persons);
  if (store == nullptr) return;
  const std::string path = SnapshotPath(persons);
  if (absl::Status s = SaveSnapshot(*store, path); !s.ok()) {
    state.SkipWithError(std::string(s.message()).c_str());
    return;
  }
  double open_seconds = 0;
  double load_seconds = 0;
  double open_cpu = 0;
  double load_cpu = 0;
  double bytes_per_person = 0;
  bool checked = false;
  for (auto _ : state) {
    state.PauseTiming();
    if (cold) DropFromPageCache(path);
    malloc_trim(0);
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    const double start_cpu = CpuSeconds();
    absl::StatusOr<std::unique_ptr<SnapshotReader>> reader = SnapshotReader::Open(path);
    if (!reader.ok()) {
      state.SkipWithError(std::string(reader.status().message()).c_str());
      return;
    }
    open_seconds = SecondsSince(start);
    open_cpu = CpuSeconds() - start_cpu;
    absl::StatusOr<std::unique_ptr<RecordStore>> loaded = RecordStore::Load(**reader);
    if (!loaded.ok()) {
      state.SkipWithError(std::string(loaded.status().message()).c_str());
      return;
    }
    load_seconds = SecondsSince(start) - open_seconds;
    load_cpu = CpuSeconds() - start_cpu - open_cpu;
    state.PauseTiming();
    reader->reset();
    bytes_per_person = static_cast<double>((*loaded)->MemoryUsage()) / static_cast<double>(persons);
    // Check the answer once: every 97th person reads back as saved.
    for (uint32_t i = 0; !checked && i < store->person_count(); i += 97) {
      const Person want = store->GetPerson(PersonId(i));
      std::optional<PersonId> id = (*loaded)->FindPerson(want.id_art);
      if (!id.has_value() || (*loaded)->GetPerson(*id).nama != want.nama ||
          (*loaded)->GetPerson(*id).nama_ibu_kandung != want.nama_ibu_kandung ||
          (*loaded)->GetPerson(*id).id_keluarga != want.id_keluarga ||
          (*loaded)->person_count() != store->live_person_count()) {
        state.SkipWithError("a loaded person does not read back as saved");
        return;
      }
    }
    checked = true;
    loaded->reset();  // freed untimed
    state.ResumeTiming();
  }
  ReportSnapshot(state, path, persons, open_seconds + load_seconds);
  state.counters["open_seconds"] = open_seconds;
  state.counters["decode_seconds"] = load_seconds;
  state.counters["open_cpu_seconds"] = open_cpu;
  state.counters["decode_cpu_seconds"] = load_cpu;
  state.counters["loaded_bytes_per_person"] = bytes_per_person;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * persons));
}

void Register(const char* label, int64_t persons) {
  benchmark::RegisterBenchmark(absl::StrFormat("BM_RecordStore_Add/%s", label).c_str(),
                               BM_RecordStore_Add)
      ->Arg(persons)
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(absl::StrFormat("BM_RecordStore_FindPerson/%s", label).c_str(),
                               BM_RecordStore_FindPerson)
      ->Arg(persons);
  benchmark::RegisterBenchmark(absl::StrFormat("BM_RecordStore_Save/%s", label).c_str(),
                               BM_RecordStore_Save)
      ->Arg(persons)
      ->Iterations(1)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  for (const char* cache : {"warm", "cold"}) {
    benchmark::RegisterBenchmark(absl::StrFormat("BM_RecordStore_Load/%s/%s", cache, label).c_str(),
                                 BM_RecordStore_Load)
        ->Args({persons, std::string_view(cache) == "cold" ? 1 : 0})
        ->Iterations(1)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace
}  // namespace padan

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  padan::Register("smoke", padan::kSmokePersons);
  padan::Register("1M", padan::kMillionPersons);
  // --persons=N adds a case of N persons (the 10 M budget run), kept out of CI by default.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    constexpr std::string_view kFlag = "--persons=";
    constexpr std::string_view kDirFlag = "--snapshot_dir=";
    if (std::string_view(argv[i]).starts_with(kDirFlag)) {
      padan::SnapshotDir() = argv[i] + kDirFlag.size();
    } else if (std::string_view(argv[i]).starts_with(kFlag)) {
      const long long persons = std::atoll(argv[i] + kFlag.size());
      if (persons <= 0) {
        std::fprintf(stderr, "record_store_bench: %s: expected a positive count\n", argv[i]);
        return 1;
      }
      padan::Register(absl::StrFormat("%d", persons).c_str(), persons);
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  for (const std::string& path : padan::WrittenSnapshots()) std::filesystem::remove(path);
  benchmark::Shutdown();
  return 0;
}
