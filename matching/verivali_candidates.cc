#include "matching/verivali_candidates.h"

#include <algorithm>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "absl/container/flat_hash_map.h"

#include "data/region_table.h"
#include "matching/nik_comparison.h"
#include "matching/parallel_for.h"
#include "matching/phonetic_key.h"

namespace padan {
namespace {

// Key entries carry the side in the top bit of the record index.
constexpr uint32_t kFieldBit = 1u << 31;

// Distinct key spaces share one sorted vector, so every key starts from its kind.
enum KeyKind : char {
  kNikKey = 'n',
  kDesaNameKey = 's',
  kNoKkTokenKey = 'k',
  kMotherKey = 'm',
  kDesaTokenKey = 't',
  kWideTokenKey = 'w',
  kNameYearKey = 'p',
  kDobKecamatanKey = 'd',
};

using KeyEntries = std::vector<std::pair<uint64_t, uint32_t>>;

// Keys are 64-bit hashes of their parts, made without building text: a collision only merges
// two blocks, which the caps and the scoring absorb.
uint64_t Mix(uint64_t x) {
  // splitmix64's finaliser.
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t Key(KeyKind kind, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  return Mix(Mix(Mix(static_cast<uint64_t>(kind) ^ Mix(a)) ^ b) ^ c);
}

uint64_t TextHash(std::string_view text) { return std::hash<std::string_view>()(text); }

// Appends the keys of one record as (hash, tagged index): to `narrow` those whose blocks are
// small by construction (a NIK; inside one desa the whole name's sound, and a name part ×
// birth year — an urban kelurahan holds tens of thousands of people, so a name part alone
// would not do; a whole name × birth year inside one kab/kota), to `wide` those only a rare
// value keeps small: a name part and birth year inside the kab/kota, the mother's name inside
// the kab/kota (siblings share it), a birth date inside the kecamatan (conventional dates such
// as 1 July or 31 December gather many old people).
void AddKeys(const MatchRecord& r, uint32_t tagged, std::string* sound, KeyEntries* narrow,
             KeyEntries* wide) {
  if (r.nik != 0) narrow->emplace_back(Key(kNikKey, r.nik), tagged);
  const KodeWilayah desa = AncestorCode(r.kode_wilayah, RegionLevel::kDesa);
  const KodeWilayah kab_kota = AncestorCode(r.kode_wilayah, RegionLevel::kKabKota);
  if (!r.nama.empty()) {
    const uint64_t name = TextHash(r.nama.phonetic_sorted);
    narrow->emplace_back(Key(kDesaNameKey, desa, name), tagged);
    if (!r.tanggal_lahir.missing()) {
      const uint64_t year = static_cast<uint64_t>(r.tanggal_lahir.year());
      narrow->emplace_back(Key(kNameYearKey, kab_kota, year, name), tagged);
      for (size_t t = 0; t < r.nama.token_count(); ++t) {
        if (r.nama.low_information_mask & (1u << t)) continue;
        AppendPhoneticKey(r.nama.token(t), sound);  // clears `sound` first
        const uint64_t part = TextHash(*sound);
        // A family card's number with each name part: finds a member whose NIK, name and
        // birth date were all written differently, and a family registered twice on one card.
        if (r.no_kk != 0) narrow->emplace_back(Key(kNoKkTokenKey, r.no_kk, part), tagged);
        narrow->emplace_back(Key(kDesaTokenKey, desa, year, part), tagged);
        wide->emplace_back(Key(kWideTokenKey, kab_kota, year, part), tagged);
      }
    }
  }
  if (!r.nama_ibu_kandung.empty()) {
    wide->emplace_back(Key(kMotherKey, kab_kota, TextHash(r.nama_ibu_kandung.phonetic_sorted)),
                       tagged);
  }
  if (r.tanggal_lahir.precision() == DatePrecision::kDay && r.kode_wilayah != 0) {
    wide->emplace_back(Key(kDobKecamatanKey, AncestorCode(r.kode_wilayah, RegionLevel::kKecamatan),
                           static_cast<uint64_t>(r.tanggal_lahir.days())),
                       tagged);
  }
}

// Pairs the records of each key of sorted `keys`, unless a side holds more than `cap`.
void PairBlocks(KeyEntries* keys, size_t cap, VerivaliCandidates* out) {
  std::vector<uint32_t> listed;
  std::vector<uint32_t> found;
  for (size_t begin = 0; begin < keys->size();) {
    size_t end = begin;
    while (end < keys->size() && (*keys)[end].first == (*keys)[begin].first) ++end;
    listed.clear();
    found.clear();
    for (size_t k = begin; k < end; ++k) {
      const uint32_t tagged = (*keys)[k].second;
      if (tagged & kFieldBit) {
        found.push_back(tagged & ~kFieldBit);
      } else {
        listed.push_back(tagged);
      }
    }
    begin = end;
    if (listed.size() > cap || found.size() > cap) continue;
    for (uint32_t p : listed) {
      for (uint32_t f : found) out->cross.emplace_back(p, f);
    }
    // Sorted by index already (the sort was by hash, then tagged index), and a name repeating
    // a token files its record twice under one key.
    for (size_t a = 0; a < listed.size(); ++a) {
      for (size_t b = a + 1; b < listed.size(); ++b) {
        if (listed[a] != listed[b]) out->prelist.emplace_back(listed[a], listed[b]);
      }
    }
  }
  keys->clear();
  keys->shrink_to_fit();
}

template <typename Pair>
void SortUnique(std::vector<Pair>* pairs) {
  std::sort(pairs->begin(), pairs->end());
  pairs->erase(std::unique(pairs->begin(), pairs->end()), pairs->end());
}

}  // namespace

VerivaliCandidates FindVerivaliCandidates(absl::Span<const MatchRecord> prelist,
                                          absl::Span<const MatchRecord> field,
                                          const VerivaliBlockingOptions& options) {
  // Keys are made on every thread (a phonetic key per name part is the bulk of the work),
  // then sorted, the two kinds at once.
  KeyEntries narrow;
  KeyEntries wide;
  std::mutex mu;
  const size_t total = prelist.size() + field.size();
  ParallelFor(total, options.threads, [&](size_t begin, size_t end) {
    KeyEntries local_narrow;
    KeyEntries local_wide;
    local_narrow.reserve((end - begin) * 5);
    local_wide.reserve((end - begin) * 3);
    std::string sound;
    for (size_t i = begin; i < end; ++i) {
      if (i < prelist.size()) {
        AddKeys(prelist[i], static_cast<uint32_t>(i), &sound, &local_narrow, &local_wide);
      } else {
        const uint32_t f = static_cast<uint32_t>(i - prelist.size());
        AddKeys(field[f], f | kFieldBit, &sound, &local_narrow, &local_wide);
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    narrow.insert(narrow.end(), local_narrow.begin(), local_narrow.end());
    wide.insert(wide.end(), local_wide.begin(), local_wide.end());
  });
  {
    std::thread sort_wide([&] { std::sort(wide.begin(), wide.end()); });
    std::sort(narrow.begin(), narrow.end());
    sort_wide.join();
  }
  VerivaliCandidates out;
  PairBlocks(&narrow, options.max_block_side, &out);
  PairBlocks(&wide, options.max_wide_block_side, &out);

  // A field NIK one typo away from a listed one: probe the near NIKs, only for field records
  // whose NIK met no listed NIK exactly (the usual case costs nothing).
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> by_nik;
  for (uint32_t i = 0; i < prelist.size(); ++i) {
    if (prelist[i].nik != 0) by_nik[prelist[i].nik].push_back(i);
  }
  for (uint32_t f = 0; f < field.size(); ++f) {
    const uint64_t nik = field[f].nik;
    if (nik == 0 || by_nik.contains(nik)) continue;
    ForEachNearNik(nik, [&](uint64_t near) {
      auto it = by_nik.find(near);
      if (it == by_nik.end()) return;
      for (uint32_t p : it->second) out.cross.emplace_back(p, f);
    });
  }
  std::thread sort_prelist([&] { SortUnique(&out.prelist); });
  SortUnique(&out.cross);
  sort_prelist.join();
  return out;
}

}  // namespace padan
