// RecordStore: the columnar in-memory store where imported households and persons land
// (DESIGN.md §3, §5): dense ids, fixed-width columns, text in arenas, repeated strings
// dictionary-coded, the external ids (id_art, id_keluarga) mapped to dense ids, versioned
// household writes with tombstones, and its snapshot form.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

#include "data/absl_strings.h"
#include "data/date.h"
#include "data/record.h"
#include "index/huge_pages.h"
#include "index/ids.h"
#include "index/string_arena.h"
#include "index/string_dictionary.h"

namespace padan {

class SnapshotReader;
class SnapshotWriter;

// What one ReplaceHousehold or DeleteHousehold did, for the indexes that follow the store:
// remove the `removed` persons (and `removed_household`) from them, add the `added` ones.
// Value type.
struct HouseholdChange {
  // The household's new version (ReplaceHousehold), or the version deleted (DeleteHousehold).
  HouseholdId household;
  // The new person versions, in the order of the members passed in.
  std::vector<PersonId> added;
  // Every person version tombstoned: the old household version's members in their order, then
  // the listed members that moved here from another household, in the order they were listed.
  std::vector<PersonId> removed;
  // The household version tombstoned, if there was a live one.
  std::optional<HouseholdId> removed_household;
};

// RecordStore owns every person and household record, the arenas their text lives in, the
// dictionaries of their repeated strings and the maps from external ids to dense ids. Text
// views returned by the accessors live as long as the store.
//
// Versions. Records are append-only: PersonId and HouseholdId are dense indexes in insertion
// order, and a record never changes once added, except for the conflict flag Add may set on a
// household and the deleted mark. A write (ReplaceHousehold, DeleteHousehold) adds new
// versions with new ids and marks the versions it replaces deleted (tombstones). A tombstoned
// version stays readable through its id (GetPerson, Members... for audit and for indexes that
// still hold the id), but FindPerson/FindHousehold, the live counts, ForEachLivePerson and
// Save see only live versions. Every live person belongs to a live household. Save writes the
// live versions only, renumbered densely, so tombstones cost memory until the next restart
// from a snapshot.
//
// Layout, chosen for 300 M persons on one server (record_store.cc explains each choice):
//  - Columns come in blocks of 65,536 records, each block a struct of arrays. Growth allocates
//    one block and never copies existing columns, where a std::vector would copy gigabytes
//    when it doubles and could leave half its capacity idle.
//  - Person: nik_value with the small enums in its spare top bits (8 B), packed tanggal_lahir
//    (4), flags (2), tempat_lahir code (4), household (4), next member (4) and the position of
//    its text (4): 30 bytes. Household: no_kk_value (8), kode_wilayah with desil, program,
//    status and flags in its spare bits (8), updated_at (4), last member (4), text (4).
//  - A record's variable text is one varint-framed blob in an arena, reached through a 32-bit
//    delta from its block's 64-bit base, so the arenas may grow far past 4 GiB.
//  - Repeated strings are dictionary-coded: tempat_lahir (a column), dusun, rt and rw (in the
//    household blob), and pekerjaan, pendidikan and disabilitas as one combination code. A
//    nama_ibu_kandung that repeats another member's text (children naming their mother) is
//    stored as a 1-2 byte reference to it.
//  - External id -> dense id: hash sets of dense ids that hash and compare the id text where
//    it already lies in the blob, so an entry costs about 5 bytes and no second copy of the id.
//
// Cost: about 108 bytes per person at 10 M persons of realistic rows, id maps included
// (bench/index/record_store_bench.cc); lookups by id are one hash probe plus one blob read.
//
// Thread-safety: const methods (Save included) may run concurrently from many threads; Add,
// Reserve, ReplaceHousehold and DeleteHousehold require exclusive access (no reader may run at
// the same time).
// Not copyable or movable: the id maps' hash functions point back into the store. Hold it by
// std::unique_ptr to hand it around.
class RecordStore {
 public:
  // Longest text accepted in any one field of a record, in bytes. DTKS fields are far
  // shorter (names under 100 bytes, addresses under 300); the cap keeps the text of one block
  // under 4 GiB, which the 32-bit deltas need.
  static constexpr size_t kMaxFieldBytes = 4096;
  // Ids are uint32_t with one sentinel value; a person's household id leaves its top bit to
  // kPersonDeletedCoreBit (2^31 households is 25 times Indonesia's).
  static constexpr size_t kMaxPersons = PersonId::kInvalidValue;
  static constexpr size_t kMaxHouseholds = (size_t{1} << 31) - 1;
  // The person flag bit PersonFlag leaves free and Add refuses: it marked tombstoned versions
  // until the mark moved to the core cell (kPersonDeletedCoreBit), and a snapshot holding it is
  // refused as corrupt.
  static constexpr uint16_t kReservedPersonFlag = uint16_t{1} << 15;

  RecordStore();
  ~RecordStore();

  RecordStore(const RecordStore&) = delete;
  RecordStore& operator=(const RecordStore&) = delete;

  // Sizes the id maps and block tables for this many records, so that a bulk import does not
  // rehash. Optional; counts below the current ones do nothing.
  void Reserve(size_t persons, size_t households);

  // Adds `person` to the household with key household.id_keluarga, creating that household
  // from `household` the first time the key is seen; on later calls the household's stored
  // fields are compared with `household` and a disagreement (no_kk, alamat, kode_wilayah, rt,
  // rw) sets kHouseholdConflictingRows on the stored household (first row wins).
  // person.id_keluarga is ignored (the household key decides).
  // Returns the new PersonId, or
  //  - kAlreadyExists (message naming the id_art) when person.id_art is already stored;
  //  - kInvalidArgument (naming the field, see InvalidField) when id_art or
  //    household.id_keluarga is empty, a text field is longer than kMaxFieldBytes, an enum holds
  //    a value it does not define, nik_value has more than 16 digits, kode_wilayah more than 10,
  //    or person.flags uses a reserved bit;
  //  - kResourceExhausted when the store already holds kMaxPersons persons or, for a new
  //    household, kMaxHouseholds households.
  // On error nothing is added. This is the bulk import path: the household and person keys
  // are those of live versions, so a household deleted earlier is created anew, and a row for
  // a live household joins that live version.
  absl::StatusOr<PersonId> Add(const Household& household, const Person& person);

  // Checks that ReplaceHousehold(household, members) would succeed after `pending_households`
  // households with `pending_persons` members are added first, changing nothing:
  //  - kInvalidArgument (naming the field) for what Add refuses in the household or in any
  //    member (the message names the member), or for an id_art listed twice;
  //  - kResourceExhausted when the new versions would not fit (kMaxPersons, kMaxHouseholds).
  // An empty member list is valid: a household that has no members left.
  absl::Status ValidateHousehold(const Household& household, absl::Span<const Person> members,
                                 size_t pending_households = 0, size_t pending_persons = 0) const;

  // Upserts a household with its complete member list, as one change: tombstones the live
  // version of household.id_keluarga (if any) with all its live members, tombstones the live
  // version of any listed id_art that lives in another household (which keeps its other
  // members), then adds `household` as a new version and `members` as new person versions in
  // that order (person.id_keluarga is ignored), and points FindHousehold/FindPerson at them.
  // Errors as ValidateHousehold, which it runs first; on error nothing changes.
  absl::StatusOr<HouseholdChange> ReplaceHousehold(const Household& household,
                                                   absl::Span<const Person> members);

  // Tombstones the live version of `id_keluarga` and its live members; FindHousehold and
  // FindPerson then miss them. kNotFound when no live household has that key.
  absl::StatusOr<HouseholdChange> DeleteHousehold(std::string_view id_keluarga);

  // All versions ever added, tombstoned ones included: ids are dense in [0, count).
  size_t person_count() const { return person_count_; }
  size_t household_count() const { return household_count_; }
  // Live versions only.
  size_t live_person_count() const { return live_person_count_; }
  size_t live_household_count() const { return live_household_count_; }

  bool is_live(PersonId id) const {
    return (PersonBlockOf(id).core[Row(id.value)].household & kPersonDeletedCoreBit) == 0;
  }
  bool is_live(HouseholdId id) const { return (HouseholdWord(id) & kHouseholdDeleted) == 0; }

  // The live version with this key, or nullopt when none is live.
  std::optional<PersonId> FindPerson(std::string_view id_art) const;
  std::optional<HouseholdId> FindHousehold(std::string_view id_keluarga) const;

  // Calls `fn` with every live person, in id order.
  void ForEachLivePerson(absl::FunctionRef<void(PersonId)> fn) const;

  // The record as added, every field materialised (Person::id_keluarga included), for live
  // and tombstoned versions alike.
  // REQUIRES for these and every accessor below: the id was returned by this store.
  Person GetPerson(PersonId id) const;
  Household GetHousehold(HouseholdId id) const;

  // A live household's live members in insertion order (a member that moved to another
  // household is no longer listed). For a tombstoned household: the members it had when it
  // was tombstoned (all tombstoned with it), so that audit and debugging can show what a
  // write removed.
  std::vector<PersonId> Members(HouseholdId id) const;

  // Column accessors for the matching and index code; nothing is materialised.
  std::string_view id_art(PersonId id) const;
  std::string_view nama(PersonId id) const;
  std::string_view nama_ibu_kandung(PersonId id) const;
  std::string_view tempat_lahir(PersonId id) const {
    return tempat_lahir_.Get(PersonBlockOf(id).tempat_lahir[Row(id.value)]);
  }
  uint64_t nik_value(PersonId id) const { return PersonWord(id) & kNikMask; }
  Date tanggal_lahir(PersonId id) const {
    return Date::Unpack(PersonBlockOf(id).core[Row(id.value)].tanggal_lahir);
  }
  Sex jenis_kelamin(PersonId id) const {
    return static_cast<Sex>((PersonWord(id) >> kSexShift) & kSexMask);
  }
  Hubungan hubungan(PersonId id) const {
    return static_cast<Hubungan>((PersonWord(id) >> kHubunganShift) & kHubunganMask);
  }
  // Start loading the column cells a match reads of a person (its core cell: word, birth date,
  // household, the deleted mark) or a household (word, No KK) into the cache, so that a loop
  // over scattered ids waits on memory once for all of them instead of once per id. No effect
  // otherwise.
  void PrefetchPerson(PersonId id) const {
    __builtin_prefetch(&PersonBlockOf(id).core[Row(id.value)]);
  }
  void PrefetchHousehold(HouseholdId id) const {
    const HouseholdBlock& block = HouseholdBlockOf(id);
    const uint32_t row = Row(id.value);
    __builtin_prefetch(&block.core[row]);
  }

  // A record's text blob is found through its offset cell, so a batch of records is asked
  // for in two passes: every offset, then every blob (its first two cache lines).
  void PrefetchPersonTextOffset(PersonId id) const {
    __builtin_prefetch(&PersonBlockOf(id).text_delta[Row(id.value)]);
  }
  void PrefetchHouseholdTextOffset(HouseholdId id) const {
    __builtin_prefetch(&HouseholdBlockOf(id).text_delta[Row(id.value)]);
  }
  void PrefetchPersonText(PersonId id) const {
    const char* blob = PersonBlob(id);
    __builtin_prefetch(blob);
    __builtin_prefetch(blob + 64);
  }
  void PrefetchHouseholdText(HouseholdId id) const {
    const char* blob = HouseholdBlob(id);
    __builtin_prefetch(blob);
    __builtin_prefetch(blob + 64);
  }

  // What GetPerson and GetHousehold of its household read of a person, asked for in three
  // steps, each reading what the one before brought in: 0, the person's cells (word, flags,
  // birthplace code, blob offset); 1, its blob and its household's cells (word, updated_at,
  // blob offset); 2, the household's blob. A caller about to read a few scattered persons
  // whole runs each step over all of them before the next, so that their misses overlap
  // instead of coming one after another (ten or so per person at 10 M).
  static constexpr int kPrefetchWholeSteps = 3;
  void PrefetchWhole(PersonId id, int step) const {
    switch (step) {
      case 0:
        PrefetchPerson(id);
        __builtin_prefetch(&PersonBlockOf(id).flags[Row(id.value)]);
        PrefetchPersonTextOffset(id);
        __builtin_prefetch(&PersonBlockOf(id).tempat_lahir[Row(id.value)]);
        break;
      case 1: {
        PrefetchPersonText(id);
        const HouseholdId household = household_of(id);
        PrefetchHousehold(household);
        PrefetchHouseholdTextOffset(household);
        __builtin_prefetch(&HouseholdBlockOf(household).updated_at[Row(household.value)]);
        break;
      }
      default:
        PrefetchHouseholdText(household_of(id));
        break;
    }
  }

  // PersonFlag bits as added.
  uint16_t person_flags(PersonId id) const { return PersonBlockOf(id).flags[Row(id.value)]; }
  // The household version the person was added to (tombstoned when the person is, unless the
  // person moved out of a household that stayed).
  HouseholdId household_of(PersonId id) const {
    return HouseholdId(PersonBlockOf(id).core[Row(id.value)].household & ~kPersonDeletedCoreBit);
  }

  std::string_view id_keluarga(HouseholdId id) const;
  std::string_view alamat(HouseholdId id) const;
  uint64_t no_kk_value(HouseholdId id) const {
    return HouseholdBlockOf(id).core[Row(id.value)].no_kk_value;
  }
  uint64_t kode_wilayah(HouseholdId id) const { return HouseholdWord(id) & kKodeWilayahMask; }
  Date updated_at(HouseholdId id) const {
    return Date::Unpack(HouseholdBlockOf(id).updated_at[Row(id.value)]);
  }
  uint8_t household_flags(HouseholdId id) const {
    return static_cast<uint8_t>(HouseholdWord(id) >> kHouseholdFlagsShift);
  }

  // Heap bytes held, by part. Counts what is allocated (block capacity, hash-table buckets),
  // not only what is filled.
  struct MemoryBreakdown {
    size_t person_columns = 0;
    size_t household_columns = 0;
    size_t person_text = 0;
    size_t household_text = 0;
    size_t dictionaries = 0;
    size_t id_maps = 0;
    size_t total() const {
      return person_columns + household_columns + person_text + household_text + dictionaries +
             id_maps;
    }
  };
  MemoryBreakdown Memory() const;
  size_t MemoryUsage() const { return Memory().total(); }

  // Writes the live records to `writer` in sections named "store.*": dictionaries, then
  // households and persons renumbered densely in id order, their columns as raw arrays per
  // block. Members keep their order. Errors of the writer surface in its Finish; this returns
  // kInternal only if the store's own invariants are broken.
  absl::Status Save(SnapshotWriter& writer) const;
  // Rebuilds a store from what Save wrote: every live record reads back the same (with the
  // new ids), and the store accepts further writes. kDataLoss naming the section for content
  // that does not decode (a missing section, counts that disagree, a code, offset or id out of
  // range); it never trusts the snapshot for memory safety, even past its checksums.
  //
  // kDeferPersonIds leaves the id_art map empty for IndexPersonIds, so that a caller with other
  // work to do meanwhile (Registry::Load builds the number indexes) can run the two side by
  // side; until then FindPerson finds nothing and the store takes no writes.
  enum class LoadIds { kAll, kDeferPersonIds };
  static absl::StatusOr<std::unique_ptr<RecordStore>> Load(SnapshotReader& reader,
                                                           LoadIds ids = LoadIds::kAll);
  // Builds the id_art map of a store loaded with kDeferPersonIds. kDataLoss when two persons
  // share an id_art (a snapshot that Load with kAll refuses).
  absl::Status IndexPersonIds();

 private:
  // Records per column block, and per 64-bit text base.
  static constexpr int kBlockShift = 16;
  static constexpr uint32_t kBlockSize = uint32_t{1} << kBlockShift;

  // Person word: nik_value needs 54 bits (16 decimal digits < 2^54); the enums fill the rest.
  static constexpr int kNikBits = 54;
  static constexpr uint64_t kNikMask = (uint64_t{1} << kNikBits) - 1;
  static constexpr int kSexShift = kNikBits;
  static constexpr uint64_t kSexMask = 0x3;
  static constexpr int kHubunganShift = kSexShift + 2;
  static constexpr uint64_t kHubunganMask = 0xF;
  static constexpr int kStatusKawinShift = kHubunganShift + 4;
  static constexpr uint64_t kStatusKawinMask = 0x7;
  static constexpr int kStatusHidupShift = kStatusKawinShift + 3;
  static constexpr uint64_t kStatusHidupMask = 0x1;
  static_assert(kStatusHidupShift == 63, "the person word is exactly full");

  // Household word: kode_wilayah needs 34 bits (10 decimal digits < 2^34).
  static constexpr int kKodeWilayahBits = 34;
  static constexpr uint64_t kKodeWilayahMask = (uint64_t{1} << kKodeWilayahBits) - 1;
  static constexpr int kDesilShift = kKodeWilayahBits;
  static constexpr int kProgramShift = kDesilShift + 8;
  static constexpr int kHouseholdStatusShift = kProgramShift + 8;
  static constexpr int kHouseholdFlagsShift = kHouseholdStatusShift + 1;
  // A tombstoned household version.
  static constexpr uint64_t kHouseholdDeleted = uint64_t{1} << (kHouseholdFlagsShift + 8);
  static_assert(kHouseholdFlagsShift + 8 + 1 <= 64, "the household word overflows");

  // Columns of kBlockSize persons. Arrays are left uninitialised until their row is written.
  // A block's blobs are in the arena, from text_base on; or, for a block that Load filled
  // whole, in loaded_person_text_ (loaded_household_text_), from `text` on.
  // The cells a match reads for each of its hundreds of candidates (QueryEngine::MatchLocked's
  // first stage: NIK, sex, birth date, household; the household's region and No KK), side by
  // side in one aligned 16 bytes: one cache line per record instead of one per column. At
  // 10 M persons every candidate's cells miss the cache, and these misses were the first
  // stage's cost.
  struct PersonCore {
    uint64_t word;           // nik_value | sex | hubungan | kawin | hidup
    uint32_t tanggal_lahir;  // Date::Pack()
    uint32_t household;      // | kPersonDeletedCoreBit
  };
  // A person's deleted mark, in the top bit of the core cell's household id: is_live then reads
  // the cell a match's first stage reads anyway, rather than the flags column's line (a third
  // of the lines that stage waits for, one per candidate). Never saved: snapshots hold live
  // persons only.
  static constexpr uint32_t kPersonDeletedCoreBit = uint32_t{1} << 31;
  struct HouseholdCore {
    uint64_t no_kk_value;
    uint64_t word;  // kode_wilayah | desil | program | status | flags
  };
  static_assert(sizeof(PersonCore) == 16 && sizeof(HouseholdCore) == 16);
  struct PersonBlock {
    uint64_t text_base;                           // arena offset of the block's first blob
    const char* text;                             // or nullptr
    std::array<uint32_t, kBlockSize> text_delta;  // blob offset - text_base (or - text)
    alignas(64) std::array<PersonCore, kBlockSize> core;
    std::array<uint32_t, kBlockSize> tempat_lahir;  // code in tempat_lahir_
    std::array<uint32_t, kBlockSize> next_member;   // circular list; see AppendPerson
    std::array<uint16_t, kBlockSize> flags;         // PersonFlag bits
  };
  struct HouseholdBlock {
    uint64_t text_base;
    const char* text;
    std::array<uint32_t, kBlockSize> text_delta;
    alignas(64) std::array<HouseholdCore, kBlockSize> core;
    std::array<uint32_t, kBlockSize> updated_at;   // Date::Pack()
    std::array<uint32_t, kBlockSize> last_member;  // the member list's tail, or kInvalidValue
  };

  // (pekerjaan, pendidikan, disabilitas) codes; persons store one code for the combination.
  struct Profile {
    uint32_t pekerjaan = 0;
    uint32_t pendidikan = 0;
    uint32_t disabilitas = 0;
    friend bool operator==(const Profile&, const Profile&) = default;
    template <typename H>
    friend H AbslHashValue(H state, const Profile& p) {
      return H::combine(std::move(state), p.pekerjaan, p.pendidikan, p.disabilitas);
    }
  };

  // Hash and equality of a dense id through its external id text (id_art or id_keluarga),
  // read from the store's own blobs; transparent, so the sets are searched by text.
  template <typename Id>
  struct ExternalIdHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const {
      return absl::Hash<absl::string_view>{}(ToAbsl(text));
    }
    size_t operator()(uint32_t id) const { return (*this)(store->ExternalId(Id(id))); }
    const RecordStore* store = nullptr;
  };
  template <typename Id>
  struct ExternalIdEq {
    using is_transparent = void;
    // Two stored ids are equal only when they are the same record: a set holds live versions
    // only, and at most one version of an external id is live.
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t a, std::string_view b) const { return store->ExternalId(Id(a)) == b; }
    bool operator()(std::string_view a, uint32_t b) const { return a == store->ExternalId(Id(b)); }
    const RecordStore* store = nullptr;
  };
  template <typename Id>
  using IdSet = absl::flat_hash_set<uint32_t, ExternalIdHash<Id>, ExternalIdEq<Id>,
                                    HugePageAllocator<uint32_t>>;

  // Blocks live on huge pages of their own (index/huge_pages.h), one 2 MiB page each.
  template <typename Block>
  struct BlockDeleter {
    void operator()(Block* block) const { FreeHugePages(block, sizeof(Block)); }
  };
  template <typename Block>
  using BlockPtr = std::unique_ptr<Block, BlockDeleter<Block>>;
  template <typename Block>
  static BlockPtr<Block> NewBlock();

  struct PersonText;  // a decoded person blob; record_store.cc
  struct HouseholdText;

  static uint32_t Row(uint32_t id) { return id & (kBlockSize - 1); }
  const PersonBlock& PersonBlockOf(PersonId id) const {
    assert(id.value < person_count_);
    return *person_blocks_[id.value >> kBlockShift];
  }
  const HouseholdBlock& HouseholdBlockOf(HouseholdId id) const {
    assert(id.value < household_count_);
    return *household_blocks_[id.value >> kBlockShift];
  }
  uint64_t PersonWord(PersonId id) const { return PersonBlockOf(id).core[Row(id.value)].word; }
  uint64_t HouseholdWord(HouseholdId id) const {
    return HouseholdBlockOf(id).core[Row(id.value)].word;
  }
  std::string_view ExternalId(PersonId id) const { return id_art(id); }
  std::string_view ExternalId(HouseholdId id) const { return id_keluarga(id); }

  const char* PersonBlob(PersonId id) const;
  const char* HouseholdBlob(HouseholdId id) const;
  PersonText DecodePerson(PersonId id) const;
  HouseholdText DecodeHousehold(HouseholdId id) const;

  // The steps of Add and ReplaceHousehold after validation; they cannot fail.
  HouseholdId AppendHousehold(const Household& household);
  void CheckHouseholdRow(HouseholdId id, const Household& household);
  PersonId AppendPerson(const Person& person, HouseholdId household);
  // Appends `person` to the member list of `household`.
  void LinkMember(uint32_t person, uint32_t household);
  // Encodes a person blob into `out` (replacing its content).
  static void EncodePersonBlob(const PersonText& text, uint64_t mother_tag,
                               std::string_view mother_inline, std::string* out);
  // Tombstones a live household and its members, appending them to `removed`.
  void TombstoneHousehold(HouseholdId id, std::vector<PersonId>* removed);
  // Tombstones a live person; with `unlink`, also takes it off its household's member list.
  void TombstonePerson(PersonId id, bool unlink);
  uint32_t& NextMember(uint32_t person) {
    return person_blocks_[person >> kBlockShift]->next_member[Row(person)];
  }
  uint32_t& LastMember(uint32_t household) {
    return household_blocks_[household >> kBlockShift]->last_member[Row(household)];
  }

  // Save's and Load's helpers; record_store.cc.
  class SnapshotIo;
  // How person's nama_ibu_kandung is written in its blob: inline, or as a reference to the same
  // text in an earlier member of `household`.
  uint64_t MotherNameTag(std::string_view nama_ibu_kandung, HouseholdId household,
                         PersonId new_id) const;
  // Resolves a reference tag written by MotherNameTag in the blob of `id`.
  std::string_view ReferencedText(PersonId id, uint64_t tag) const;
  uint32_t InternProfile(const Person& person);

  std::vector<BlockPtr<PersonBlock>> person_blocks_;
  std::vector<BlockPtr<HouseholdBlock>> household_blocks_;
  size_t person_count_ = 0;
  size_t household_count_ = 0;
  size_t live_person_count_ = 0;
  size_t live_household_count_ = 0;

  StringArena person_text_;
  StringArena household_text_;
  // The text of the blocks that Load filled whole, back to back.
  HugePageBuffer loaded_person_text_;
  HugePageBuffer loaded_household_text_;

  StringDictionary tempat_lahir_;
  StringDictionary pekerjaan_;
  StringDictionary pendidikan_;
  StringDictionary disabilitas_;
  StringDictionary dusun_;
  StringDictionary rt_rw_;         // rt and rw share one dictionary: the same short numbers
  std::vector<Profile> profiles_;  // profile code -> codes; code 0 is all-empty
  absl::flat_hash_map<Profile, uint32_t> profile_codes_;

  IdSet<PersonId> person_ids_;
  IdSet<HouseholdId> household_ids_;

  std::string scratch_;  // blob being encoded by Add; kept to reuse its buffer
};

}  // namespace padan
