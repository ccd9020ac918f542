#include "index/record_store.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <limits>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

#include "data/field_error.h"
#include "data/status_macros.h"
#include "index/snapshot_file.h"

// Why the layout is what it is. Every byte per person costs 300 MB at the national target
// (DESIGN.md §1), and the store's budget is 120 bytes per person at 10 M persons (§7).
//
// Blocks. Column storage grows one block of 65,536 records at a time. A std::vector column
// would double its capacity on growth, briefly holding old and new copies (at 300 M persons
// the NIK column alone is 2.4 GB) and afterwards up to half of it idle; a block is never
// copied and at most one block is part-filled. Each block is one 2 MiB huge page of its own,
// populated when it is allocated (index/huge_pages.h): a first write to a 4 KiB page costs a
// page fault, ~30 µs on the reference VM, and the id maps' random probes miss the TLB less.
// Rounding a block up to the page costs 2 bytes per person and 4 per household.
//
// The same block size also scopes the text positions: each block keeps the 64-bit arena
// offset of its first blob, and each record a 32-bit delta from it. Blob offsets grow with the
// id because records are append-only, so the delta is never negative, and it cannot overflow:
// a blob is at most kMaxPersonBlobBytes, no larger than an arena chunk, so each blob starts
// less than two blob sizes after the previous one (StringArena's bound) and the last blob of a
// block starts less than 2 * 65,536 * kMaxPersonBlobBytes < 4 GiB after the first (asserted
// below). A block that Load fills whole keeps its text in one buffer of its own instead.
//
// Blobs. A person's variable text is one blob: a varint header, then varint-length-prefixed
// fields. Fields that are almost always derivable are stored only when they are not: the NIK
// text when it is not just the 16 digits of nik_value, the tanggal_lahir text only when the
// importer kept unparseable text. pekerjaan, pendidikan and disabilitas are dictionary-coded
// as one combination (a few thousand combinations occur), whose code rides in the header:
//
//   person blob    = varint(profile << 2 | has_nik_text | has_dob_text << 1)
//                    text(id_art) text(nama) mother [text(nik)] [text(tanggal_lahir_text)]
//   household blob = varint(dusun << 1 | has_no_kk_text) varint(rt) varint(rw)
//                    text(id_keluarga) text(alamat) [text(no_kk)]
//   text(s)        = varint(size) bytes
//   mother         = varint(size << 1) bytes                 the text itself, or
//                    varint((distance << 1 | field) << 1 | 1) the same bytes in an earlier
//                    person `distance` ids back: its nama (field 0) or its own, inline,
//                    nama_ibu_kandung (field 1).
//
// The mother reference exists because a child's nama_ibu_kandung is usually the same bytes as
// another member's nama (the mother's) or nama_ibu_kandung (a sibling's): about half of the
// household members' mother names then cost 1-2 bytes instead of ~20. References always point
// at inline text, so resolving one is a single extra blob read. They count persons rather
// than bytes because a blob's arena position is only known once it is appended.
//
// Words. nik_value needs 54 bits and kode_wilayah 34, so the small enums ride in the spare
// bits of those 64-bit words instead of in columns of their own (2 bytes saved per person, 4
// per household); Add refuses values that would not fit.
//
// Members. A household's members form a circular singly linked list through next_member, with
// the household holding its tail (last_member), whose next is the head; a household without
// members holds kInvalidValue. That is 4 bytes per person and 4 per household, O(1) append,
// insertion order, and correct for members arriving in any row order.
//
// Versions. A write never edits a record in place: it tombstones the versions it replaces
// (bit 15 of a person's flags, the bit above the flags in a household's word: no byte per
// record is added) and appends new ones. The id maps hold live versions only. A person
// tombstoned because it moved to another household is also taken off its old household's
// member list, which stays live; a household tombstoned with its members keeps its list, so
// Members() of a live household lists live persons only, and of a tombstoned one what it
// held when it went. Mother-name references may point at a tombstoned version; the text is
// still there.
//
// Snapshots. Save writes live records only, renumbered densely in id order, so a restart
// drops the tombstones. A person's new id is its rank among live persons, found through a
// count per 64 ids (LiveRank) rather than a 4-byte map per record, and a mother-name
// reference is re-encoded for the new distance, or inlined when its target is tombstoned.
// Per block of 65,536 records a section holds the blobs back to back (one arena Append on
// load, which keeps every blob contiguous and the block's deltas exactly the saved ones)
// followed by the fixed-width columns as raw arrays, which Load reads straight into a new
// block. Member lists are not saved: a household's live members are its live persons in id
// order, so Load relinks them. Load checks every value it will later trust (codes, ids,
// enums, varints and lengths inside each blob) before the store is handed out.

namespace padan {
namespace {

// Header bits of a person blob; the profile code is above them.
constexpr uint64_t kHasNikText = 1;
constexpr uint64_t kHasDobText = 2;
constexpr int kProfileShift = 2;
// Header bit of a household blob; the dusun code is above it.
constexpr uint64_t kHasNoKkText = 1;
constexpr int kDusunShift = 1;

// A mother-name reference (see the layout notes above): field 0 is the referenced person's
// nama, field 1 its inline nama_ibu_kandung.
constexpr uint64_t kMotherIsReference = 1;
constexpr uint64_t kMotherFieldNama = 0;
constexpr uint64_t kMotherFieldIbu = 1;
// Earlier members compared with a new member's nama_ibu_kandung. The mother is almost always
// among the first few; the bound keeps Add O(1) for a household with thousands of rows.
constexpr int kMotherCandidates = 16;

// Largest NIK / No KK value (16 digits) and kode_wilayah value (10 digits).
constexpr uint64_t kMaxIdValue = 9'999'999'999'999'999;
constexpr uint64_t kMaxKodeWilayah = 9'999'999'999;
constexpr int kIdDigits = 16;

constexpr size_t kMaxVarintBytes = 10;
// Upper bounds of one blob, from kMaxFieldBytes: five length-prefixed texts behind a header.
constexpr size_t kMaxPersonBlobBytes =
    kMaxVarintBytes + 5 * (kMaxVarintBytes + RecordStore::kMaxFieldBytes);
constexpr size_t kMaxHouseholdBlobBytes =
    3 * kMaxVarintBytes + 3 * (kMaxVarintBytes + RecordStore::kMaxFieldBytes);
// The person arena's chunk must hold any blob whole (StringArena's 2n bound needs it).
constexpr size_t kTextChunkBytes = StringArena::kDefaultChunkBytes;
static_assert(kTextChunkBytes >= kMaxPersonBlobBytes && kTextChunkBytes >= kMaxHouseholdBlobBytes);
constexpr uint64_t kRecordsPerBlock = 65'536;
static_assert(2 * kRecordsPerBlock * kMaxPersonBlobBytes <= std::numeric_limits<uint32_t>::max(),
              "a block's person text could overflow its 32-bit deltas");
static_assert(2 * kRecordsPerBlock * kMaxHouseholdBlobBytes <= std::numeric_limits<uint32_t>::max(),
              "a block's household text could overflow its 32-bit deltas");
// A loaded block's text is one Append, after which the next blob may start up to one chunk
// further on (at the next slot) than in a block built blob by blob.
static_assert(2 * kRecordsPerBlock * kMaxPersonBlobBytes + kTextChunkBytes <=
                  std::numeric_limits<uint32_t>::max(),
              "a loaded block's person text could overflow its 32-bit deltas");

void PutVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

size_t VarintSize(uint64_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

void PutText(std::string_view text, std::string* out) {
  PutVarint(text.size(), out);
  out->append(text);
}

// Reads blobs this file wrote. No bounds checks: the bytes never came from outside.
class BlobReader {
 public:
  explicit BlobReader(const char* data) : data_(data) {}

  uint64_t Varint() {
    uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<uint8_t>(*data_++);
      value |= uint64_t{byte & 0x7Fu} << shift;
      if (byte < 0x80) return value;
    }
  }
  std::string_view Bytes(size_t size) {
    std::string_view bytes(data_, size);
    data_ += size;
    return bytes;
  }
  std::string_view Text() { return Bytes(Varint()); }
  void SkipText() { data_ += Varint(); }
  const char* position() const { return data_; }

 private:
  const char* data_;
};

// The 16 digits of an id number, zero-padded. REQUIRES: value <= kMaxIdValue.
std::string IdText(uint64_t value) {
  std::string text(kIdDigits, '0');
  for (int i = kIdDigits - 1; i >= 0 && value != 0; --i) {
    text[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return text;
}

// True when `text` is exactly how `value` is written: "" for 0, else its 16 digits. Then the
// store keeps only the number and rebuilds the text.
bool IsCanonicalIdText(std::string_view text, uint64_t value) {
  if (value == 0) return text.empty();
  if (value > kMaxIdValue || text.size() != kIdDigits) return false;
  for (int i = kIdDigits - 1; i >= 0; --i) {
    if (text[i] != static_cast<char>('0' + value % 10)) return false;
    value /= 10;
  }
  return true;
}

std::string MaterialiseIdText(const std::optional<std::string_view>& kept, uint64_t value) {
  if (kept.has_value()) return std::string(*kept);
  return value == 0 ? std::string() : IdText(value);
}

absl::Status CheckTextSize(std::string_view field, std::string_view text) {
  if (text.size() <= RecordStore::kMaxFieldBytes) return absl::OkStatus();
  return InvalidField(field, absl::StrFormat("is %d bytes long; at most %d are allowed",
                                             text.size(), RecordStore::kMaxFieldBytes));
}

template <typename Enum>
absl::Status CheckEnum(std::string_view field, Enum value, Enum last) {
  if (static_cast<uint8_t>(value) <= static_cast<uint8_t>(last)) return absl::OkStatus();
  return InvalidField(field, absl::StrFormat("has code %d, which is not defined (0-%d)",
                                             static_cast<int>(value), static_cast<int>(last)));
}

absl::Status CheckPersonFields(const Person& p) {
  if (p.id_art.empty()) return InvalidField("id_art", "must not be empty");
  PADAN_RETURN_IF_ERROR(CheckTextSize("id_art", p.id_art));
  PADAN_RETURN_IF_ERROR(CheckTextSize("nik", p.nik));
  PADAN_RETURN_IF_ERROR(CheckTextSize("nama", p.nama));
  PADAN_RETURN_IF_ERROR(CheckTextSize("tempat_lahir", p.tempat_lahir));
  PADAN_RETURN_IF_ERROR(CheckTextSize("tanggal_lahir", p.tanggal_lahir_text));
  PADAN_RETURN_IF_ERROR(CheckTextSize("nama_ibu_kandung", p.nama_ibu_kandung));
  PADAN_RETURN_IF_ERROR(CheckTextSize("pekerjaan", p.pekerjaan));
  PADAN_RETURN_IF_ERROR(CheckTextSize("pendidikan", p.pendidikan));
  PADAN_RETURN_IF_ERROR(CheckTextSize("disabilitas", p.disabilitas));
  if (p.nik_value > kMaxIdValue) {
    return InvalidField("nik", absl::StrFormat("value %d has more than 16 digits", p.nik_value));
  }
  PADAN_RETURN_IF_ERROR(CheckEnum("jenis_kelamin", p.jenis_kelamin, Sex::kPerempuan));
  PADAN_RETURN_IF_ERROR(CheckEnum("hubungan", p.hubungan, Hubungan::kLainnya));
  PADAN_RETURN_IF_ERROR(CheckEnum("status_kawin", p.status_kawin, StatusKawin::kCeraiMati));
  PADAN_RETURN_IF_ERROR(CheckEnum("status_hidup", p.status_hidup, StatusHidup::kMeninggal));
  if ((p.flags & RecordStore::kReservedPersonFlag) != 0) {
    return InvalidField("flags",
                        absl::StrFormat("0x%04x uses bit 15, which the store reserves", p.flags));
  }
  return absl::OkStatus();
}

// `status` of CheckPersonFields, with the member it is about named in its message.
absl::Status InMember(const absl::Status& status, size_t index, std::string_view id_art) {
  const std::optional<std::string> field = FieldOf(status);
  std::string_view message = FromAbsl(status.message());
  if (!field.has_value()) return status;
  const std::string prefix = StrCat(*field, ": ");
  if (message.starts_with(prefix)) message.remove_prefix(prefix.size());
  return InvalidField(*field, StrCat(message, " (member ", index, ", id_art '", id_art, "')"));
}

absl::Status CheckHouseholdFields(const Household& h) {
  PADAN_RETURN_IF_ERROR(CheckTextSize("id_keluarga", h.id_keluarga));
  PADAN_RETURN_IF_ERROR(CheckTextSize("no_kk", h.no_kk));
  PADAN_RETURN_IF_ERROR(CheckTextSize("alamat", h.alamat));
  PADAN_RETURN_IF_ERROR(CheckTextSize("dusun", h.dusun));
  PADAN_RETURN_IF_ERROR(CheckTextSize("rt", h.rt));
  PADAN_RETURN_IF_ERROR(CheckTextSize("rw", h.rw));
  if (h.kode_wilayah > kMaxKodeWilayah) {
    return InvalidField("kode_wilayah",
                        absl::StrFormat("%d has more than 10 digits", h.kode_wilayah));
  }
  return CheckEnum("status", h.status, HouseholdStatus::kNonaktif);
}

// Heap bytes of an absl flat hash container: per bucket one control byte and one slot, plus
// the sentinel and the cloned control bytes of one SSE group (abseil's raw_hash_set layout).
template <typename Table>
size_t HashTableBytes(const Table& table) {
  constexpr size_t kClonedControlBytes = 16;
  if (table.capacity() == 0) return 0;
  return table.capacity() * (1 + sizeof(typename Table::value_type)) + kClonedControlBytes;
}

template <typename Block, typename Deleter>
size_t BlockBytes(const std::vector<std::unique_ptr<Block, Deleter>>& blocks) {
  return blocks.size() * RoundUpToHugePages(sizeof(Block)) + blocks.capacity() * sizeof(blocks[0]);
}

}  // namespace

static_assert(kRecordsPerBlock == uint64_t{1} << 16);

struct RecordStore::PersonText {
  size_t blob_size = 0;
  uint32_t profile = 0;
  std::string_view id_art;
  std::string_view nama;
  uint64_t mother_tag = 0;
  std::string_view mother_inline;  // when !(mother_tag & kMotherIsReference)
  std::optional<std::string_view> nik_text;
  std::optional<std::string_view> dob_text;
};

struct RecordStore::HouseholdText {
  size_t blob_size = 0;
  uint32_t dusun = 0;
  uint32_t rt = 0;
  uint32_t rw = 0;
  std::string_view id_keluarga;
  std::string_view alamat;
  std::optional<std::string_view> no_kk_text;
};

RecordStore::RecordStore()
    : person_text_(kTextChunkBytes),
      household_text_(kTextChunkBytes),
      profiles_(1),
      person_ids_(0, ExternalIdHash<PersonId>{this}, ExternalIdEq<PersonId>{this}),
      household_ids_(0, ExternalIdHash<HouseholdId>{this}, ExternalIdEq<HouseholdId>{this}) {
  static_assert(kBlockSize == kRecordsPerBlock);
  profile_codes_.emplace(Profile{}, 0);
}

RecordStore::~RecordStore() = default;

template <typename Block>
RecordStore::BlockPtr<Block> RecordStore::NewBlock() {
  static_assert(std::is_trivially_destructible_v<Block> && sizeof(Block) <= kHugePageBytes,
                "a block is one huge page of plain columns");
  // Default-initialised: the columns stay as the zero pages AllocateHugePages maps.
  Block* block = new (AllocateHugePages(sizeof(Block))) Block;
  block->text = nullptr;
  return BlockPtr<Block>(block);
}

void RecordStore::Reserve(size_t persons, size_t households) {
  person_ids_.reserve(persons);
  household_ids_.reserve(households);
  person_blocks_.reserve((persons + kBlockSize - 1) / kBlockSize);
  household_blocks_.reserve((households + kBlockSize - 1) / kBlockSize);
}

absl::StatusOr<PersonId> RecordStore::Add(const Household& household, const Person& person) {
  // Everything that can fail is checked before anything changes, so an error adds nothing.
  PADAN_RETURN_IF_ERROR(CheckPersonFields(person));
  if (household.id_keluarga.empty()) return InvalidField("id_keluarga", "must not be empty");
  if (std::optional<PersonId> existing = FindPerson(person.id_art); existing.has_value()) {
    return absl::AlreadyExistsError(
        StrCat("id_art '", person.id_art, "' is already stored as ", "person ", existing->value));
  }
  if (person_count_ >= kMaxPersons) {
    return absl::ResourceExhaustedError(
        absl::StrFormat("the store is full: it holds at most %d persons", kMaxPersons));
  }
  std::optional<HouseholdId> household_id = FindHousehold(household.id_keluarga);
  const bool new_household = !household_id.has_value();
  if (new_household) {
    PADAN_RETURN_IF_ERROR(CheckHouseholdFields(household));
    if (household_count_ >= kMaxHouseholds) {
      return absl::ResourceExhaustedError(
          absl::StrFormat("the store is full: it holds at most %d households", kMaxHouseholds));
    }
    household_id = AppendHousehold(household);
  } else {
    CheckHouseholdRow(*household_id, household);
  }
  return AppendPerson(person, *household_id);
}

absl::Status RecordStore::ValidateHousehold(const Household& household,
                                            absl::Span<const Person> members,
                                            size_t pending_households,
                                            size_t pending_persons) const {
  if (household.id_keluarga.empty()) return InvalidField("id_keluarga", "must not be empty");
  PADAN_RETURN_IF_ERROR(CheckHouseholdFields(household));
  absl::flat_hash_set<absl::string_view> seen;
  seen.reserve(members.size());
  for (size_t i = 0; i < members.size(); ++i) {
    const Person& member = members[i];
    if (absl::Status s = CheckPersonFields(member); !s.ok()) return InMember(s, i, member.id_art);
    if (!seen.insert(ToAbsl(member.id_art)).second) {
      return InvalidField("id_art", StrCat("'", member.id_art, "' is listed twice among the ",
                                           "members of household '", household.id_keluarga, "'"));
    }
  }
  if (pending_households >= kMaxHouseholds - household_count_) {
    return absl::ResourceExhaustedError(
        absl::StrFormat("the store is full: it holds at most %d households", kMaxHouseholds));
  }
  if (pending_persons > kMaxPersons - person_count_ ||
      members.size() > kMaxPersons - person_count_ - pending_persons) {
    return absl::ResourceExhaustedError(
        absl::StrFormat("the store is full: it holds at most %d persons", kMaxPersons));
  }
  return absl::OkStatus();
}

absl::StatusOr<HouseholdChange> RecordStore::ReplaceHousehold(const Household& household,
                                                              absl::Span<const Person> members) {
  PADAN_RETURN_IF_ERROR(ValidateHousehold(household, members));
  // Nothing below can fail.
  HouseholdChange change;
  if (std::optional<HouseholdId> old = FindHousehold(household.id_keluarga); old.has_value()) {
    change.removed_household = *old;
    TombstoneHousehold(*old, &change.removed);
  }
  for (const Person& member : members) {
    // Still live after the old version went: it lives in another household, and moves here.
    if (std::optional<PersonId> moved = FindPerson(member.id_art); moved.has_value()) {
      TombstonePerson(*moved, /*unlink=*/true);
      change.removed.push_back(*moved);
    }
  }
  change.household = AppendHousehold(household);
  change.added.reserve(members.size());
  for (const Person& member : members) {
    change.added.push_back(AppendPerson(member, change.household));
  }
  return change;
}

absl::StatusOr<HouseholdChange> RecordStore::DeleteHousehold(std::string_view id_keluarga) {
  std::optional<HouseholdId> id = FindHousehold(id_keluarga);
  if (!id.has_value()) {
    return absl::NotFoundError(StrCat("no live household has id_keluarga '", id_keluarga, "'"));
  }
  HouseholdChange change;
  change.household = *id;
  change.removed_household = *id;
  TombstoneHousehold(*id, &change.removed);
  return change;
}

void RecordStore::TombstoneHousehold(HouseholdId id, std::vector<PersonId>* removed) {
  household_ids_.erase(id.value);
  household_blocks_[id.value >> kBlockShift]->core[Row(id.value)].word |= kHouseholdDeleted;
  --live_household_count_;
  for (PersonId member : Members(id)) {
    TombstonePerson(member, /*unlink=*/false);
    removed->push_back(member);
  }
}

void RecordStore::TombstonePerson(PersonId id, bool unlink) {
  assert(is_live(id));
  person_ids_.erase(id.value);
  PersonBlock& block = *person_blocks_[id.value >> kBlockShift];
  block.core[Row(id.value)].household |= kPersonDeletedCoreBit;
  --live_person_count_;
  if (!unlink) return;
  uint32_t& last = LastMember(household_of(id).value);
  uint32_t previous = last;
  while (NextMember(previous) != id.value) previous = NextMember(previous);
  if (previous == id.value) {
    last = PersonId::kInvalidValue;  // it was the only member
  } else {
    NextMember(previous) = NextMember(id.value);
    if (last == id.value) last = previous;
  }
  NextMember(id.value) = id.value;
}

void RecordStore::ForEachLivePerson(absl::FunctionRef<void(PersonId)> fn) const {
  for (size_t b = 0; b < person_blocks_.size(); ++b) {
    const PersonBlock& block = *person_blocks_[b];
    const auto first = static_cast<uint32_t>(b << kBlockShift);
    const auto rows = static_cast<uint32_t>(std::min<size_t>(kBlockSize, person_count_ - first));
    for (uint32_t row = 0; row < rows; ++row) {
      if ((block.core[row].household & kPersonDeletedCoreBit) == 0) fn(PersonId(first + row));
    }
  }
}

HouseholdId RecordStore::AppendHousehold(const Household& h) {
  const auto id = HouseholdId(static_cast<uint32_t>(household_count_));
  const bool keep_no_kk_text = !IsCanonicalIdText(h.no_kk, h.no_kk_value);
  scratch_.clear();
  PutVarint(uint64_t{dusun_.Intern(h.dusun)} << kDusunShift | (keep_no_kk_text ? kHasNoKkText : 0),
            &scratch_);
  PutVarint(rt_rw_.Intern(h.rt), &scratch_);
  PutVarint(rt_rw_.Intern(h.rw), &scratch_);
  PutText(h.id_keluarga, &scratch_);
  PutText(h.alamat, &scratch_);
  if (keep_no_kk_text) PutText(h.no_kk, &scratch_);
  const uint64_t offset = household_text_.Append(scratch_);

  const uint32_t row = Row(id.value);
  if (row == 0) {
    household_blocks_.push_back(NewBlock<HouseholdBlock>());
    household_blocks_.back()->text_base = offset;
  }
  HouseholdBlock& block = *household_blocks_.back();
  assert(offset - block.text_base <= std::numeric_limits<uint32_t>::max());
  block.text_delta[row] = static_cast<uint32_t>(offset - block.text_base);
  block.core[row].no_kk_value = h.no_kk_value;
  block.core[row].word = h.kode_wilayah | uint64_t{h.desil} << kDesilShift |
                         uint64_t{h.program} << kProgramShift |
                         uint64_t{static_cast<uint8_t>(h.status)} << kHouseholdStatusShift |
                         uint64_t{h.flags} << kHouseholdFlagsShift;
  block.updated_at[row] = h.updated_at.Pack();
  block.last_member[row] = PersonId::kInvalidValue;  // no members yet
  ++household_count_;
  ++live_household_count_;
  household_ids_.insert(id.value);
  return id;
}

void RecordStore::CheckHouseholdRow(HouseholdId id, const Household& row) {
  HouseholdBlock& block = *household_blocks_[id.value >> kBlockShift];
  uint64_t& word = block.core[Row(id.value)].word;
  constexpr uint64_t kConflict = uint64_t{kHouseholdConflictingRows} << kHouseholdFlagsShift;
  if ((word & kConflict) != 0) return;  // already flagged; nothing more to learn
  const HouseholdText text = DecodeHousehold(id);
  const uint64_t no_kk_value = block.core[Row(id.value)].no_kk_value;
  const bool same_no_kk = row.no_kk_value == no_kk_value &&
                          (text.no_kk_text.has_value() ? *text.no_kk_text == row.no_kk
                                                       : IsCanonicalIdText(row.no_kk, no_kk_value));
  const bool same = same_no_kk && text.alamat == row.alamat &&
                    (word & kKodeWilayahMask) == row.kode_wilayah &&
                    rt_rw_.Get(text.rt) == row.rt && rt_rw_.Get(text.rw) == row.rw;
  if (!same) word |= kConflict;
}

uint32_t RecordStore::InternProfile(const Person& p) {
  const Profile profile{pekerjaan_.Intern(p.pekerjaan), pendidikan_.Intern(p.pendidikan),
                        disabilitas_.Intern(p.disabilitas)};
  auto [it, inserted] =
      profile_codes_.try_emplace(profile, static_cast<uint32_t>(profiles_.size()));
  if (inserted) profiles_.push_back(profile);
  return it->second;
}

uint64_t RecordStore::MotherNameTag(std::string_view mother, HouseholdId household,
                                    PersonId new_id) const {
  const uint64_t inline_tag = uint64_t{mother.size()} << 1;
  if (mother.empty()) return inline_tag;
  const uint32_t last = HouseholdBlockOf(household).last_member[Row(household.value)];
  uint32_t member = PersonBlockOf(PersonId(last)).next_member[Row(last)];  // the head
  for (int i = 0; i < kMotherCandidates; ++i) {
    const PersonText text = DecodePerson(PersonId(member));
    uint32_t target = PersonId::kInvalidValue;
    uint64_t field = kMotherFieldNama;
    if (text.nama == mother) {
      target = member;
    } else if ((text.mother_tag & kMotherIsReference) == 0) {
      if (text.mother_inline == mother) {
        target = member;
        field = kMotherFieldIbu;
      }
    } else if (ReferencedText(PersonId(member), text.mother_tag) == mother) {
      // Point at what that member points at, so references never chain.
      target = member - static_cast<uint32_t>(text.mother_tag >> 2);
      field = (text.mother_tag >> 1) & 1;
    }
    if (target != PersonId::kInvalidValue) {
      const uint64_t tag = (uint64_t{new_id.value - target} << 1 | field) << 1 | kMotherIsReference;
      return VarintSize(tag) < VarintSize(inline_tag) + mother.size() ? tag : inline_tag;
    }
    if (member == last) break;
    member = PersonBlockOf(PersonId(member)).next_member[Row(member)];
  }
  return inline_tag;
}

void RecordStore::EncodePersonBlob(const PersonText& text, uint64_t mother_tag,
                                   std::string_view mother_inline, std::string* out) {
  out->clear();
  PutVarint(uint64_t{text.profile} << kProfileShift | (text.nik_text ? kHasNikText : 0) |
                (text.dob_text ? kHasDobText : 0),
            out);
  PutText(text.id_art, out);
  PutText(text.nama, out);
  PutVarint(mother_tag, out);
  if ((mother_tag & kMotherIsReference) == 0) out->append(mother_inline);
  if (text.nik_text) PutText(*text.nik_text, out);
  if (text.dob_text) PutText(*text.dob_text, out);
}

PersonId RecordStore::AppendPerson(const Person& p, HouseholdId household) {
  const auto id = PersonId(static_cast<uint32_t>(person_count_));
  const bool first_member = LastMember(household.value) == PersonId::kInvalidValue;
  PersonText text;
  text.profile = InternProfile(p);
  text.id_art = p.id_art;
  text.nama = p.nama;
  if (!IsCanonicalIdText(p.nik, p.nik_value)) text.nik_text = p.nik;
  if (!p.tanggal_lahir_text.empty()) text.dob_text = p.tanggal_lahir_text;
  const uint64_t mother_tag = first_member ? uint64_t{p.nama_ibu_kandung.size()} << 1
                                           : MotherNameTag(p.nama_ibu_kandung, household, id);
  EncodePersonBlob(text, mother_tag, p.nama_ibu_kandung, &scratch_);
  const uint64_t offset = person_text_.Append(scratch_);

  const uint32_t row = Row(id.value);
  if (row == 0) {
    person_blocks_.push_back(NewBlock<PersonBlock>());
    person_blocks_.back()->text_base = offset;
  }
  PersonBlock& block = *person_blocks_.back();
  assert(offset - block.text_base <= std::numeric_limits<uint32_t>::max());
  block.text_delta[row] = static_cast<uint32_t>(offset - block.text_base);
  block.core[row].word = p.nik_value |
                         uint64_t{static_cast<uint8_t>(p.jenis_kelamin)} << kSexShift |
                         uint64_t{static_cast<uint8_t>(p.hubungan)} << kHubunganShift |
                         uint64_t{static_cast<uint8_t>(p.status_kawin)} << kStatusKawinShift |
                         uint64_t{static_cast<uint8_t>(p.status_hidup)} << kStatusHidupShift;
  block.core[row].tanggal_lahir = p.tanggal_lahir.Pack();
  block.tempat_lahir[row] = tempat_lahir_.Intern(p.tempat_lahir);
  block.core[row].household = household.value;
  block.flags[row] = p.flags;
  LinkMember(id.value, household.value);

  ++person_count_;  // before the insert, which hashes the new id through id_art(id)
  ++live_person_count_;
  person_ids_.insert(id.value);
  return id;
}

void RecordStore::LinkMember(uint32_t person, uint32_t household) {
  uint32_t& last = LastMember(household);
  if (last == PersonId::kInvalidValue) {
    NextMember(person) = person;
  } else {
    uint32_t& last_next = NextMember(last);
    NextMember(person) = last_next;  // the head
    last_next = person;
  }
  last = person;
}

std::optional<PersonId> RecordStore::FindPerson(std::string_view id_art) const {
  auto it = person_ids_.find(id_art);
  if (it == person_ids_.end()) return std::nullopt;
  return PersonId(*it);
}

std::optional<HouseholdId> RecordStore::FindHousehold(std::string_view id_keluarga) const {
  auto it = household_ids_.find(id_keluarga);
  if (it == household_ids_.end()) return std::nullopt;
  return HouseholdId(*it);
}

const char* RecordStore::PersonBlob(PersonId id) const {
  const PersonBlock& block = PersonBlockOf(id);
  const uint32_t delta = block.text_delta[Row(id.value)];
  return block.text != nullptr ? block.text + delta : person_text_.At(block.text_base + delta);
}

const char* RecordStore::HouseholdBlob(HouseholdId id) const {
  const HouseholdBlock& block = HouseholdBlockOf(id);
  const uint32_t delta = block.text_delta[Row(id.value)];
  return block.text != nullptr ? block.text + delta : household_text_.At(block.text_base + delta);
}

RecordStore::PersonText RecordStore::DecodePerson(PersonId id) const {
  const char* blob = PersonBlob(id);
  BlobReader reader(blob);
  PersonText text;
  const uint64_t header = reader.Varint();
  text.profile = static_cast<uint32_t>(header >> kProfileShift);
  text.id_art = reader.Text();
  text.nama = reader.Text();
  text.mother_tag = reader.Varint();
  if ((text.mother_tag & kMotherIsReference) == 0) {
    text.mother_inline = reader.Bytes(text.mother_tag >> 1);
  }
  if ((header & kHasNikText) != 0) text.nik_text = reader.Text();
  if ((header & kHasDobText) != 0) text.dob_text = reader.Text();
  text.blob_size = static_cast<size_t>(reader.position() - blob);
  return text;
}

RecordStore::HouseholdText RecordStore::DecodeHousehold(HouseholdId id) const {
  const char* blob = HouseholdBlob(id);
  BlobReader reader(blob);
  HouseholdText text;
  const uint64_t header = reader.Varint();
  text.dusun = static_cast<uint32_t>(header >> kDusunShift);
  text.rt = static_cast<uint32_t>(reader.Varint());
  text.rw = static_cast<uint32_t>(reader.Varint());
  text.id_keluarga = reader.Text();
  text.alamat = reader.Text();
  if ((header & kHasNoKkText) != 0) text.no_kk_text = reader.Text();
  text.blob_size = static_cast<size_t>(reader.position() - blob);
  return text;
}

std::string_view RecordStore::ReferencedText(PersonId id, uint64_t tag) const {
  const auto target = PersonId(id.value - static_cast<uint32_t>(tag >> 2));
  BlobReader reader(PersonBlob(target));
  reader.Varint();
  reader.SkipText();
  if (((tag >> 1) & 1) == kMotherFieldNama) return reader.Text();
  reader.SkipText();
  const uint64_t target_tag = reader.Varint();
  assert((target_tag & kMotherIsReference) == 0);
  return reader.Bytes(target_tag >> 1);
}

std::string_view RecordStore::id_art(PersonId id) const {
  BlobReader reader(PersonBlob(id));
  reader.Varint();
  return reader.Text();
}

std::string_view RecordStore::nama(PersonId id) const {
  BlobReader reader(PersonBlob(id));
  reader.Varint();
  reader.SkipText();
  return reader.Text();
}

std::string_view RecordStore::nama_ibu_kandung(PersonId id) const {
  BlobReader reader(PersonBlob(id));
  reader.Varint();
  reader.SkipText();
  reader.SkipText();
  const uint64_t tag = reader.Varint();
  if ((tag & kMotherIsReference) == 0) return reader.Bytes(tag >> 1);
  return ReferencedText(id, tag);
}

std::string_view RecordStore::id_keluarga(HouseholdId id) const {
  BlobReader reader(HouseholdBlob(id));
  reader.Varint();
  reader.Varint();
  reader.Varint();
  return reader.Text();
}

std::string_view RecordStore::alamat(HouseholdId id) const {
  BlobReader reader(HouseholdBlob(id));
  reader.Varint();
  reader.Varint();
  reader.Varint();
  reader.SkipText();
  return reader.Text();
}

Person RecordStore::GetPerson(PersonId id) const {
  const PersonText text = DecodePerson(id);
  const PersonBlock& block = PersonBlockOf(id);
  const uint32_t row = Row(id.value);
  const uint64_t word = block.core[row].word;
  const Profile& profile = profiles_[text.profile];
  Person p;
  p.id_art = std::string(text.id_art);
  p.id_keluarga = std::string(id_keluarga(household_of(id)));
  p.nik_value = word & kNikMask;
  p.nik = MaterialiseIdText(text.nik_text, p.nik_value);
  p.nama = std::string(text.nama);
  p.jenis_kelamin = static_cast<Sex>((word >> kSexShift) & kSexMask);
  p.tempat_lahir = std::string(tempat_lahir_.Get(block.tempat_lahir[row]));
  p.tanggal_lahir = Date::Unpack(block.core[row].tanggal_lahir);
  p.tanggal_lahir_text = std::string(text.dob_text.value_or(std::string_view()));
  p.hubungan = static_cast<Hubungan>((word >> kHubunganShift) & kHubunganMask);
  p.nama_ibu_kandung = std::string((text.mother_tag & kMotherIsReference) == 0
                                       ? text.mother_inline
                                       : ReferencedText(id, text.mother_tag));
  p.status_kawin = static_cast<StatusKawin>((word >> kStatusKawinShift) & kStatusKawinMask);
  p.pekerjaan = std::string(pekerjaan_.Get(profile.pekerjaan));
  p.pendidikan = std::string(pendidikan_.Get(profile.pendidikan));
  p.disabilitas = std::string(disabilitas_.Get(profile.disabilitas));
  p.status_hidup = static_cast<StatusHidup>((word >> kStatusHidupShift) & kStatusHidupMask);
  p.flags = block.flags[row];
  return p;
}

Household RecordStore::GetHousehold(HouseholdId id) const {
  const HouseholdText text = DecodeHousehold(id);
  const HouseholdBlock& block = HouseholdBlockOf(id);
  const uint32_t row = Row(id.value);
  const uint64_t word = block.core[row].word;
  Household h;
  h.id_keluarga = std::string(text.id_keluarga);
  h.no_kk_value = block.core[row].no_kk_value;
  h.no_kk = MaterialiseIdText(text.no_kk_text, h.no_kk_value);
  h.alamat = std::string(text.alamat);
  h.dusun = std::string(dusun_.Get(text.dusun));
  h.rt = std::string(rt_rw_.Get(text.rt));
  h.rw = std::string(rt_rw_.Get(text.rw));
  h.kode_wilayah = word & kKodeWilayahMask;
  h.desil = static_cast<uint8_t>(word >> kDesilShift);
  h.program = static_cast<ProgramSet>(word >> kProgramShift);
  h.status = static_cast<HouseholdStatus>((word >> kHouseholdStatusShift) & 1);
  h.updated_at = Date::Unpack(block.updated_at[row]);
  h.flags = static_cast<uint8_t>(word >> kHouseholdFlagsShift);
  return h;
}

std::vector<PersonId> RecordStore::Members(HouseholdId id) const {
  std::vector<PersonId> members;
  const uint32_t last = HouseholdBlockOf(id).last_member[Row(id.value)];
  if (last == PersonId::kInvalidValue) return members;
  uint32_t member = last;
  do {
    member = PersonBlockOf(PersonId(member)).next_member[Row(member)];
    members.push_back(PersonId(member));
  } while (member != last);
  return members;
}

// --- Snapshots --------------------------------------------------------------------------------

namespace {

constexpr std::string_view kMetaSection = "store.meta";
constexpr std::string_view kDictionariesSection = "store.dictionaries";
constexpr std::string_view kHouseholdsSection = "store.households";
constexpr std::string_view kPersonsSection = "store.persons";
// Layout version of the store.* sections; Load refuses any other. Bump it when they change.
constexpr uint32_t kStoreSnapshotVersion = 1;
// Fixed-width bytes per record in a saved block: text_delta, no_kk_value, word, updated_at;
// and text_delta, word, tanggal_lahir, tempat_lahir, household, flags.
constexpr uint64_t kHouseholdColumnBytes = 4 + 8 + 8 + 4;
constexpr uint64_t kPersonColumnBytes = 4 + 8 + 4 + 4 + 4 + 2;
// A saved dictionary string takes at least its u32 length.
constexpr uint64_t kMinDictionaryEntryBytes = 4;

// Columns are saved as raw arrays in memory order, which is the snapshot's little-endian only
// on a little-endian machine (x86-64, the target; also AArch64 as Linux runs it).
static_assert(std::endian::native == std::endian::little,
              "raw column arrays would need byte swapping on a big-endian machine");

// The number of live records before an id, so that Save can renumber live records densely
// without a map of 4 bytes per record (1.2 GB at 300 M persons): a count per group of 64 ids,
// plus a scan of at most 63 ids.
template <typename IsLive>
class LiveRank {
 public:
  LiveRank(size_t count, IsLive is_live) : is_live_(is_live) {
    live_before_group_.reserve(count / kGroup + 1);
    uint32_t live = 0;
    for (size_t id = 0; id < count; ++id) {
      if (id % kGroup == 0) live_before_group_.push_back(live);
      if (is_live_(static_cast<uint32_t>(id))) ++live;
    }
  }

  uint32_t operator()(uint32_t id) const {
    uint32_t rank = live_before_group_[id / kGroup];
    for (uint32_t i = id - id % kGroup; i < id; ++i) rank += is_live_(i) ? 1 : 0;
    return rank;
  }

 private:
  static constexpr uint32_t kGroup = 64;
  IsLive is_live_;
  std::vector<uint32_t> live_before_group_;
};

// Reads a blob from a snapshot, checking every varint and length against the blob's end.
class CheckedBlobReader {
 public:
  CheckedBlobReader(const char* begin, const char* end) : data_(begin), end_(end) {}

  bool Varint(uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (data_ == end_) return false;
      const auto byte = static_cast<uint8_t>(*data_++);
      if (shift == 63 && byte > 1) return false;  // more than 64 bits
      result |= uint64_t{byte & 0x7Fu} << shift;
      if (byte < 0x80) {
        *value = result;
        return true;
      }
    }
    return false;
  }
  bool Bytes(uint64_t size, std::string_view* bytes) {
    if (size > RecordStore::kMaxFieldBytes || size > static_cast<uint64_t>(end_ - data_)) {
      return false;
    }
    *bytes = std::string_view(data_, size);
    data_ += size;
    return true;
  }
  bool Text(std::string_view* text) {
    uint64_t size = 0;
    return Varint(&size) && Bytes(size, text);
  }
  bool at_end() const { return data_ == end_; }

 private:
  const char* data_;
  const char* end_;
};

// True for 0 (missing) and for any date Date::Pack gives within [kMinYear, kMaxYear].
bool IsValidPackedDate(uint32_t packed) {
  if (packed == 0) return true;
  if ((packed & 3) == 0) return false;  // precision kNone is only ever packed as 0
  static const int32_t kFirstDay = DaysFromCivil(Date::kMinYear, 1, 1);
  static const int32_t kLastDay = DaysFromCivil(Date::kMaxYear, 12, 31);
  const int32_t days = Date::Unpack(packed).days();
  return days >= kFirstDay && days <= kLastDay;
}

// One block of saved households or persons, gathered before it is written: the blobs back to
// back, then each column.
struct HouseholdColumns {
  std::string text;
  std::vector<uint32_t> text_delta;
  std::vector<uint64_t> no_kk_value;
  std::vector<uint64_t> word;
  std::vector<uint32_t> updated_at;

  size_t rows() const { return text_delta.size(); }
  void WriteTo(SnapshotWriter& writer) {
    writer.AppendU64(text.size());
    writer.Append(text.data(), text.size());
    writer.Append(text_delta.data(), rows() * sizeof(uint32_t));
    writer.Append(no_kk_value.data(), rows() * sizeof(uint64_t));
    writer.Append(word.data(), rows() * sizeof(uint64_t));
    writer.Append(updated_at.data(), rows() * sizeof(uint32_t));
    text.clear();
    text_delta.clear();
    no_kk_value.clear();
    word.clear();
    updated_at.clear();
  }
};

struct PersonColumns {
  std::string text;
  std::vector<uint32_t> text_delta;
  std::vector<uint64_t> word;
  std::vector<uint32_t> tanggal_lahir;
  std::vector<uint32_t> tempat_lahir;
  std::vector<uint32_t> household;
  std::vector<uint16_t> flags;

  size_t rows() const { return text_delta.size(); }
  void WriteTo(SnapshotWriter& writer) {
    writer.AppendU64(text.size());
    writer.Append(text.data(), text.size());
    writer.Append(text_delta.data(), rows() * sizeof(uint32_t));
    writer.Append(word.data(), rows() * sizeof(uint64_t));
    writer.Append(tanggal_lahir.data(), rows() * sizeof(uint32_t));
    writer.Append(tempat_lahir.data(), rows() * sizeof(uint32_t));
    writer.Append(household.data(), rows() * sizeof(uint32_t));
    writer.Append(flags.data(), rows() * sizeof(uint16_t));
    text.clear();
    text_delta.clear();
    word.clear();
    tanggal_lahir.clear();
    tempat_lahir.clear();
    household.clear();
    flags.clear();
  }
};

}  // namespace

// Adds the ids first..first + keys.size() - 1 to an id map under `keys`. Returns the index in
// `keys` of the first key already there (nothing more is added), or keys.size(). A probe of a
// large map misses the cache, so the slots of a few keys ahead are prefetched: their misses
// overlap instead of queueing.
template <typename Set>
size_t InsertExternalIds(Set& set, uint64_t first, absl::Span<const std::string_view> keys) {
  constexpr size_t kPrefetchDistance = 8;
  for (size_t row = 0; row < keys.size(); ++row) {
    if (row + kPrefetchDistance < keys.size()) set.prefetch(keys[row + kPrefetchDistance]);
    bool inserted = false;
    set.lazy_emplace(keys[row], [&](const typename Set::constructor& construct) {
      construct(static_cast<uint32_t>(first + row));
      inserted = true;
    });
    if (!inserted) return row;
  }
  return keys.size();
}

class RecordStore::SnapshotIo {
 public:
  SnapshotIo(SnapshotReader& reader, RecordStore& store, LoadIds ids)
      : reader_(reader), s_(store), ids_(ids), keys_(kBlockSize) {}

  // The dictionaries in the order they are saved, with names for messages.
  template <typename Store>  // RecordStore or const RecordStore
  static auto Dictionaries(Store& store) {
    return std::array{
        std::pair{std::string_view("tempat_lahir"), &store.tempat_lahir_},
        std::pair{std::string_view("pekerjaan"), &store.pekerjaan_},
        std::pair{std::string_view("pendidikan"), &store.pendidikan_},
        std::pair{std::string_view("disabilitas"), &store.disabilitas_},
        std::pair{std::string_view("dusun"), &store.dusun_},
        std::pair{std::string_view("rt_rw"), &store.rt_rw_},
    };
  }

  absl::Status LoadMeta() {
    PADAN_RETURN_IF_ERROR(Open(kMetaSection));
    PADAN_ASSIGN_OR_RETURN(const uint32_t version, reader_.ReadU32());
    if (version != kStoreSnapshotVersion) {
      return Corrupt(absl::StrFormat("layout version %d; this build reads version %d", version,
                                     kStoreSnapshotVersion));
    }
    PADAN_ASSIGN_OR_RETURN(const uint32_t block_size, reader_.ReadU32());
    if (block_size != kBlockSize) {
      return Corrupt(
          absl::StrFormat("blocks of %d records; this build uses %d", block_size, kBlockSize));
    }
    PADAN_ASSIGN_OR_RETURN(households_, reader_.ReadU64());
    PADAN_ASSIGN_OR_RETURN(persons_, reader_.ReadU64());
    if (households_ > kMaxHouseholds || persons_ > kMaxPersons) {
      return Corrupt(absl::StrFormat("%d households and %d persons exceed the store's limits",
                                     households_, persons_));
    }
    return ExpectSectionEnd();
  }

  absl::Status LoadDictionaries() {
    PADAN_RETURN_IF_ERROR(Open(kDictionariesSection));
    for (auto [name, dictionary] : Dictionaries(s_)) {
      PADAN_ASSIGN_OR_RETURN(const uint64_t count, reader_.ReadU64());
      if (count > reader_.remaining() / kMinDictionaryEntryBytes) {
        return Corrupt(absl::StrFormat("dictionary %s claims %d strings in %d bytes", name, count,
                                       reader_.remaining()));
      }
      for (uint64_t code = 1; code <= count; ++code) {
        PADAN_ASSIGN_OR_RETURN(const std::string text, reader_.ReadString());
        if (text.size() > kMaxFieldBytes || dictionary->Intern(text) != code) {
          return Corrupt(absl::StrFormat(
              "dictionary %s: string %d is empty, too long or repeats an earlier one", name, code));
        }
      }
    }
    PADAN_ASSIGN_OR_RETURN(const uint64_t profiles, reader_.ReadU64());
    if (profiles == 0 || profiles > reader_.remaining() / sizeof(Profile)) {
      return Corrupt(absl::StrFormat("%d profiles in %d bytes", profiles, reader_.remaining()));
    }
    s_.profiles_.resize(profiles);
    PADAN_RETURN_IF_ERROR(reader_.Read(s_.profiles_.data(), profiles * sizeof(Profile)));
    s_.profile_codes_.clear();
    s_.profile_codes_.reserve(profiles);
    for (uint32_t code = 0; code < profiles; ++code) {
      const Profile& p = s_.profiles_[code];
      if (p.pekerjaan >= s_.pekerjaan_.size() || p.pendidikan >= s_.pendidikan_.size() ||
          p.disabilitas >= s_.disabilitas_.size() || (code == 0) != (p == Profile{}) ||
          !s_.profile_codes_.try_emplace(p, code).second) {
        return Corrupt(absl::StrFormat("profile %d is out of range or repeats another", code));
      }
    }
    return ExpectSectionEnd();
  }

  absl::Status LoadHouseholds() {
    PADAN_RETURN_IF_ERROR(Open(kHouseholdsSection));
    if (households_ > reader_.remaining() / kHouseholdColumnBytes) {
      return Corrupt(absl::StrFormat("%d households cannot fit in %d bytes", households_,
                                     reader_.remaining()));
    }
    const uint64_t blocks = (households_ + kBlockSize - 1) / kBlockSize;
    PADAN_RETURN_IF_ERROR(StartText(blocks, households_ * kHouseholdColumnBytes));
    s_.household_ids_.reserve(households_);
    s_.household_blocks_.reserve(blocks);
    for (uint64_t first = 0; first < households_; first += kBlockSize) {
      const auto rows = static_cast<uint32_t>(std::min<uint64_t>(kBlockSize, households_ - first));
      BlockPtr<HouseholdBlock> owned = NewBlock<HouseholdBlock>();
      HouseholdBlock& block = *owned;
      PADAN_ASSIGN_OR_RETURN(const std::string_view text,
                             ReadBlockText(rows, kMaxHouseholdBlobBytes, s_.household_text_,
                                           &block.text_base, &block.text));
      PADAN_RETURN_IF_ERROR(ReadColumn(block.text_delta, rows));
      PADAN_RETURN_IF_ERROR(ReadColumn(block.core, &HouseholdCore::no_kk_value, rows));
      PADAN_RETURN_IF_ERROR(ReadColumn(block.core, &HouseholdCore::word, rows));
      PADAN_RETURN_IF_ERROR(ReadColumn(block.updated_at, rows));
      s_.household_blocks_.push_back(std::move(owned));
      s_.household_count_ += rows;
      for (uint32_t row = 0; row < rows; ++row) {
        const uint64_t id = first + row;
        const uint64_t word = block.core[row].word;
        if (block.core[row].no_kk_value > kMaxIdValue ||
            (word & kKodeWilayahMask) > kMaxKodeWilayah ||
            (word >> (kHouseholdFlagsShift + 8)) != 0 ||
            !IsValidPackedDate(block.updated_at[row])) {
          return Corrupt(absl::StrFormat(
              "household %d: no_kk, kode_wilayah, updated_at or the deleted mark out of range",
              id));
        }
        block.last_member[row] = PersonId::kInvalidValue;
        PADAN_ASSIGN_OR_RETURN(keys_[row],
                               CheckHouseholdBlob(text, block.text_delta, row, rows, id));
      }
      PADAN_RETURN_IF_ERROR(InsertIds(s_.household_ids_, first, rows, "id_keluarga"));
    }
    s_.live_household_count_ = s_.household_count_;
    s_.loaded_household_text_ = FinishText();
    return ExpectSectionEnd();
  }

  absl::Status LoadPersons() {
    PADAN_RETURN_IF_ERROR(Open(kPersonsSection));
    if (persons_ > reader_.remaining() / kPersonColumnBytes) {
      return Corrupt(
          absl::StrFormat("%d persons cannot fit in %d bytes", persons_, reader_.remaining()));
    }
    const uint64_t blocks = (persons_ + kBlockSize - 1) / kBlockSize;
    PADAN_RETURN_IF_ERROR(StartText(blocks, persons_ * kPersonColumnBytes));
    if (ids_ == LoadIds::kAll) s_.person_ids_.reserve(persons_);
    s_.person_blocks_.reserve(blocks);
    for (uint64_t first = 0; first < persons_; first += kBlockSize) {
      const auto rows = static_cast<uint32_t>(std::min<uint64_t>(kBlockSize, persons_ - first));
      BlockPtr<PersonBlock> owned = NewBlock<PersonBlock>();
      PersonBlock& block = *owned;
      PADAN_ASSIGN_OR_RETURN(
          const std::string_view text,
          ReadBlockText(rows, kMaxPersonBlobBytes, s_.person_text_, &block.text_base, &block.text));
      PADAN_RETURN_IF_ERROR(ReadColumn(block.text_delta, rows));
      PADAN_RETURN_IF_ERROR(ReadColumn(block.core, &PersonCore::word, rows));
      PADAN_RETURN_IF_ERROR(ReadColumn(block.core, &PersonCore::tanggal_lahir, rows));
      PADAN_RETURN_IF_ERROR(ReadColumn(block.tempat_lahir, rows));
      PADAN_RETURN_IF_ERROR(ReadColumn(block.core, &PersonCore::household, rows));
      PADAN_RETURN_IF_ERROR(ReadColumn(block.flags, rows));
      s_.person_blocks_.push_back(std::move(owned));
      s_.person_count_ += rows;
      for (uint32_t row = 0; row < rows; ++row) {
        const auto id = static_cast<uint32_t>(first + row);
        const uint64_t word = block.core[row].word;
        if ((word & kNikMask) > kMaxIdValue ||
            ((word >> kSexShift) & kSexMask) > static_cast<uint64_t>(Sex::kPerempuan) ||
            ((word >> kHubunganShift) & kHubunganMask) >
                static_cast<uint64_t>(Hubungan::kLainnya) ||
            ((word >> kStatusKawinShift) & kStatusKawinMask) >
                static_cast<uint64_t>(StatusKawin::kCeraiMati) ||
            (block.flags[row] & kReservedPersonFlag) != 0 ||
            !IsValidPackedDate(block.core[row].tanggal_lahir) ||
            block.tempat_lahir[row] >= s_.tempat_lahir_.size() ||
            block.core[row].household >= s_.household_count_) {
          return Corrupt(absl::StrFormat(
              "person %d: nik, an enum, a reserved flag, tanggal_lahir, tempat_lahir or its "
              "household out of range",
              id));
        }
        PADAN_ASSIGN_OR_RETURN(keys_[row], CheckPersonBlob(text, block.text_delta, row, rows, id));
        s_.LinkMember(id, block.core[row].household);
      }
      if (ids_ == LoadIds::kAll) {
        PADAN_RETURN_IF_ERROR(InsertIds(s_.person_ids_, first, rows, "id_art"));
      }
    }
    s_.live_person_count_ = s_.person_count_;
    s_.loaded_person_text_ = FinishText();
    return ExpectSectionEnd();
  }

 private:
  absl::Status Open(std::string_view section) {
    section_ = section;
    return reader_.OpenSection(section);
  }

  absl::Status Corrupt(std::string_view problem) const {
    return absl::DataLossError(StrCat("snapshot section ", section_, ": ", problem));
  }

  absl::Status ExpectSectionEnd() const {
    if (reader_.remaining() == 0) return absl::OkStatus();
    return Corrupt(absl::StrFormat("%d bytes follow the last record", reader_.remaining()));
  }

  // Sizes the buffer that the text of a section's full blocks is read into: the section's
  // bytes that its `blocks` text sizes and `column_bytes` of columns leave, all text. A size
  // that lies shows up later as a block whose text does not fit.
  absl::Status StartText(uint64_t blocks, uint64_t column_bytes) {
    const uint64_t fixed = blocks * sizeof(uint64_t) + column_bytes;
    if (fixed > reader_.remaining()) {
      return Corrupt(absl::StrFormat("%d blocks of columns cannot fit in %d bytes", blocks,
                                     reader_.remaining()));
    }
    const uint64_t text_bytes = reader_.remaining() - fixed;
    loaded_text_ = HugePageBuffer(text_bytes);
    loaded_text_used_ = 0;
    if (text_bytes > 0 && loaded_text_.data() == nullptr) {
      return absl::ResourceExhaustedError(
          absl::StrFormat("cannot allocate %d bytes to load a snapshot", text_bytes));
    }
    return absl::OkStatus();
  }

  // The text buffer of the section's full blocks, without its unused pages.
  HugePageBuffer FinishText() {
    loaded_text_.ShrinkTo(loaded_text_used_);
    return std::move(loaded_text_);
  }

  // Reads the text of one block of `rows` records and sets the block's text position. A full
  // block's text goes into the section's buffer (StartText), and `text` points at it; a
  // part-filled block's is appended to `arena`, where later Adds continue it.
  absl::StatusOr<std::string_view> ReadBlockText(uint32_t rows, size_t max_blob_bytes,
                                                 StringArena& arena, uint64_t* text_base,
                                                 const char** text) {
    PADAN_ASSIGN_OR_RETURN(const uint64_t bytes, reader_.ReadU64());
    // Every blob takes at least one byte.
    if (bytes < rows || bytes > rows * uint64_t{max_blob_bytes} || bytes > reader_.remaining()) {
      return Corrupt(absl::StrFormat("a block of %d records claims %d bytes of text", rows, bytes));
    }
    if (rows == kBlockSize) {
      if (bytes > loaded_text_.size() - loaded_text_used_) {
        return Corrupt(absl::StrFormat("a block's %d bytes of text overrun the section", bytes));
      }
      char* data = loaded_text_.data() + loaded_text_used_;
      PADAN_RETURN_IF_ERROR(reader_.Read(data, bytes));
      loaded_text_used_ += bytes;
      *text_base = 0;
      *text = data;
      return std::string_view(data, bytes);
    }
    if (bytes > scratch_capacity_) {
      scratch_ = std::make_unique_for_overwrite<char[]>(bytes);
      scratch_capacity_ = bytes;
    }
    PADAN_RETURN_IF_ERROR(reader_.Read(scratch_.get(), bytes));
    const std::string_view view(scratch_.get(), bytes);
    *text_base = arena.Append(view);
    *text = nullptr;
    return view;
  }

  template <typename T>
  absl::Status ReadColumn(std::array<T, kBlockSize>& column, uint32_t rows) {
    return reader_.Read(column.data(), rows * sizeof(T));
  }
  // A column the file keeps apart and memory keeps in the records' core cells.
  template <typename Core, typename T>
  absl::Status ReadColumn(std::array<Core, kBlockSize>& cores, T Core::*field, uint32_t rows) {
    column_scratch_.resize(rows * sizeof(T));
    PADAN_RETURN_IF_ERROR(reader_.Read(column_scratch_.data(), rows * sizeof(T)));
    for (uint32_t row = 0; row < rows; ++row) {
      std::memcpy(&(cores[row].*field), column_scratch_.data() + row * sizeof(T), sizeof(T));
    }
    return absl::OkStatus();
  }

  // The bytes of blob `row` of a block: from its delta to the next one's (or the text's end).
  absl::StatusOr<CheckedBlobReader> BlobOf(std::string_view text,
                                           const std::array<uint32_t, kBlockSize>& delta,
                                           uint32_t row, uint32_t rows, uint64_t id) const {
    const uint64_t begin = delta[row];
    const uint64_t end = row + 1 < rows ? delta[row + 1] : text.size();
    if ((row == 0 && begin != 0) || begin > end || end > text.size()) {
      return Corrupt(absl::StrFormat("record %d: text offsets out of order or range", id));
    }
    return CheckedBlobReader(text.data() + begin, text.data() + end);
  }

  // Checks blob `row` (see the layout notes at the top); returns its id_keluarga.
  absl::StatusOr<std::string_view> CheckHouseholdBlob(std::string_view text,
                                                      const std::array<uint32_t, kBlockSize>& delta,
                                                      uint32_t row, uint32_t rows, uint64_t id) {
    PADAN_ASSIGN_OR_RETURN(CheckedBlobReader blob, BlobOf(text, delta, row, rows, id));
    uint64_t header = 0;
    uint64_t rt = 0;
    uint64_t rw = 0;
    std::string_view id_keluarga;
    std::string_view alamat;
    std::string_view no_kk;
    const bool ok = blob.Varint(&header) && blob.Varint(&rt) && blob.Varint(&rw) &&
                    blob.Text(&id_keluarga) && blob.Text(&alamat) &&
                    ((header & kHasNoKkText) == 0 || blob.Text(&no_kk)) && blob.at_end();
    if (!ok || id_keluarga.empty() || (header >> kDusunShift) >= s_.dusun_.size() ||
        rt >= s_.rt_rw_.size() || rw >= s_.rt_rw_.size()) {
      return Corrupt(absl::StrFormat("household %d: its text is malformed", id));
    }
    return id_keluarga;
  }

  // Checks blob `row` (see the layout notes at the top); returns its id_art.
  absl::StatusOr<std::string_view> CheckPersonBlob(std::string_view text,
                                                   const std::array<uint32_t, kBlockSize>& delta,
                                                   uint32_t row, uint32_t rows, uint32_t id) {
    PADAN_ASSIGN_OR_RETURN(CheckedBlobReader blob, BlobOf(text, delta, row, rows, id));
    uint64_t header = 0;
    uint64_t mother_tag = 0;
    std::string_view id_art;
    std::string_view nama;
    std::string_view mother;
    std::string_view nik;
    std::string_view dob;
    const bool ok =
        blob.Varint(&header) && blob.Text(&id_art) && blob.Text(&nama) &&
        blob.Varint(&mother_tag) &&
        ((mother_tag & kMotherIsReference) != 0 || blob.Bytes(mother_tag >> 1, &mother)) &&
        ((header & kHasNikText) == 0 || blob.Text(&nik)) &&
        ((header & kHasDobText) == 0 || blob.Text(&dob)) && blob.at_end();
    if (!ok || id_art.empty() || (header >> kProfileShift) >= s_.profiles_.size()) {
      return Corrupt(absl::StrFormat("person %d: its text is malformed", id));
    }
    if ((mother_tag & kMotherIsReference) != 0) {
      // The target is an earlier person, already checked; a reference to its own
      // nama_ibu_kandung requires that one to be inline (references never chain).
      const uint64_t distance = mother_tag >> 2;
      if (distance == 0 || distance > id ||
          (((mother_tag >> 1) & 1) == kMotherFieldIbu &&
           (s_.DecodePerson(PersonId(id - static_cast<uint32_t>(distance))).mother_tag &
            kMotherIsReference) != 0)) {
        return Corrupt(absl::StrFormat("person %d: its nama_ibu_kandung reference is invalid", id));
      }
    }
    return id_art;
  }

  // Adds the ids first..first + rows - 1 to an id map under keys_[0..rows); a key seen before
  // means the snapshot is corrupt. A probe of a large map misses the cache, so the slots of a
  // few keys ahead are prefetched: their misses overlap instead of queueing.
  template <typename Set>
  absl::Status InsertIds(Set& set, uint64_t first, uint32_t rows, std::string_view field) {
    const size_t repeated = InsertExternalIds(set, first, absl::MakeConstSpan(keys_.data(), rows));
    if (repeated == rows) return absl::OkStatus();
    return Corrupt(absl::StrFormat("record %d repeats the %s of another live record",
                                   first + repeated, field));
  }

  SnapshotReader& reader_;
  RecordStore& s_;
  const LoadIds ids_;
  std::string_view section_;
  uint64_t households_ = 0;
  uint64_t persons_ = 0;
  std::vector<std::string_view> keys_;  // the external ids of the block being loaded
  HugePageBuffer loaded_text_;          // the open section's full blocks' text
  uint64_t loaded_text_used_ = 0;
  std::unique_ptr<char[]> scratch_;  // a part-filled block's text, on its way to the arena
  uint64_t scratch_capacity_ = 0;
  std::vector<char> column_scratch_;  // a column on its way to the core cells
};

absl::Status RecordStore::Save(SnapshotWriter& writer) const {
  writer.BeginSection(kMetaSection);
  writer.AppendU32(kStoreSnapshotVersion);
  writer.AppendU32(kBlockSize);
  writer.AppendU64(live_household_count_);
  writer.AppendU64(live_person_count_);

  writer.BeginSection(kDictionariesSection);
  for (const auto& [name, dictionary] : SnapshotIo::Dictionaries(*this)) {
    writer.AppendU64(dictionary->size() - 1);  // code 0, the empty string, is implied
    for (uint32_t code = 1; code < dictionary->size(); ++code) {
      writer.AppendString(dictionary->Get(code));
    }
  }
  static_assert(std::is_trivially_copyable_v<Profile> && sizeof(Profile) == 12);
  writer.AppendVector(profiles_);

  const auto household_live = [this](uint32_t id) { return is_live(HouseholdId(id)); };
  const LiveRank household_rank(household_count_, household_live);
  writer.BeginSection(kHouseholdsSection);
  HouseholdColumns households;
  size_t saved_households = 0;
  for (uint32_t id = 0; id < household_count_; ++id) {
    const HouseholdId h(id);
    if (!is_live(h)) continue;
    const HouseholdBlock& block = HouseholdBlockOf(h);
    const uint32_t row = Row(id);
    households.text_delta.push_back(static_cast<uint32_t>(households.text.size()));
    households.text.append(HouseholdBlob(h), DecodeHousehold(h).blob_size);
    households.no_kk_value.push_back(block.core[row].no_kk_value);
    households.word.push_back(block.core[row].word);
    households.updated_at.push_back(block.updated_at[row]);
    ++saved_households;
    if (households.rows() == kBlockSize) households.WriteTo(writer);
  }
  if (households.rows() > 0) households.WriteTo(writer);

  const auto person_live = [this](uint32_t id) { return is_live(PersonId(id)); };
  const LiveRank person_rank(person_count_, person_live);
  writer.BeginSection(kPersonsSection);
  PersonColumns persons;
  std::string blob;
  uint32_t new_id = 0;
  uint32_t household = HouseholdId::kInvalidValue;  // the last person's, and its new id
  uint32_t new_household = 0;
  for (uint32_t id = 0; id < person_count_; ++id) {
    const PersonId p(id);
    if (!is_live(p)) continue;
    const PersonBlock& block = PersonBlockOf(p);
    const uint32_t row = Row(id);
    if (block.core[row].household != household) {
      household = block.core[row].household;
      if (!is_live(HouseholdId(household))) {
        return absl::InternalError(
            absl::StrFormat("live person %d belongs to tombstoned household %d", id, household));
      }
      new_household = household_rank(household);
    }
    const PersonText text = DecodePerson(p);
    persons.text_delta.push_back(static_cast<uint32_t>(persons.text.size()));
    std::string_view bytes(PersonBlob(p), text.blob_size);
    if ((text.mother_tag & kMotherIsReference) != 0) {
      const auto distance = static_cast<uint32_t>(text.mother_tag >> 2);
      const uint32_t target = id - distance;
      if (is_live(PersonId(target))) {
        const uint32_t new_distance = new_id - person_rank(target);
        if (new_distance != distance) {
          const uint64_t field = (text.mother_tag >> 1) & 1;
          EncodePersonBlob(text, (uint64_t{new_distance} << 1 | field) << 1 | kMotherIsReference,
                           {}, &blob);
          bytes = blob;
        }
      } else {
        const std::string_view mother = ReferencedText(p, text.mother_tag);
        EncodePersonBlob(text, uint64_t{mother.size()} << 1, mother, &blob);
        bytes = blob;
      }
    }
    persons.text.append(bytes);
    persons.word.push_back(block.core[row].word);
    persons.tanggal_lahir.push_back(block.core[row].tanggal_lahir);
    persons.tempat_lahir.push_back(block.tempat_lahir[row]);
    persons.household.push_back(new_household);
    persons.flags.push_back(block.flags[row]);
    ++new_id;
    if (persons.rows() == kBlockSize) persons.WriteTo(writer);
  }
  if (persons.rows() > 0) persons.WriteTo(writer);

  if (saved_households != live_household_count_ || new_id != live_person_count_) {
    return absl::InternalError(absl::StrFormat(
        "the live counts (%d households, %d persons) disagree with the records (%d, %d)",
        live_household_count_, live_person_count_, saved_households, new_id));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RecordStore>> RecordStore::Load(SnapshotReader& reader,
                                                               LoadIds ids) {
  auto store = std::make_unique<RecordStore>();
  SnapshotIo io(reader, *store, ids);
  PADAN_RETURN_IF_ERROR(io.LoadMeta());
  PADAN_RETURN_IF_ERROR(io.LoadDictionaries());
  PADAN_RETURN_IF_ERROR(io.LoadHouseholds());
  PADAN_RETURN_IF_ERROR(io.LoadPersons());
  return store;
}

absl::Status RecordStore::IndexPersonIds() {
  person_ids_.clear();
  person_ids_.reserve(live_person_count_);
  std::vector<std::string_view> keys(kBlockSize);
  for (uint64_t first = 0; first < person_count_; first += kBlockSize) {
    const auto rows = static_cast<uint32_t>(std::min<uint64_t>(kBlockSize, person_count_ - first));
    for (uint32_t row = 0; row < rows; ++row) {
      keys[row] = id_art(PersonId(static_cast<uint32_t>(first + row)));
    }
    const size_t repeated =
        InsertExternalIds(person_ids_, first, absl::MakeConstSpan(keys.data(), rows));
    if (repeated != rows) {
      return absl::DataLossError(StrCat("snapshot section ", kPersonsSection, ": record ",
                                        first + repeated,
                                        " repeats the id_art of another live record"));
    }
  }
  return absl::OkStatus();
}

RecordStore::MemoryBreakdown RecordStore::Memory() const {
  MemoryBreakdown m;
  m.person_columns = BlockBytes(person_blocks_);
  m.household_columns = BlockBytes(household_blocks_);
  m.person_text =
      person_text_.MemoryUsage() + loaded_person_text_.mapped_bytes() + scratch_.capacity();
  m.household_text = household_text_.MemoryUsage() + loaded_household_text_.mapped_bytes();
  m.dictionaries = tempat_lahir_.MemoryUsage() + pekerjaan_.MemoryUsage() +
                   pendidikan_.MemoryUsage() + disabilitas_.MemoryUsage() + dusun_.MemoryUsage() +
                   rt_rw_.MemoryUsage() + profiles_.capacity() * sizeof(Profile) +
                   HashTableBytes(profile_codes_);
  m.id_maps = HashTableBytes(person_ids_) + HashTableBytes(household_ids_);
  return m;
}

}  // namespace padan
