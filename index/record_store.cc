#include "index/record_store.h"

#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

#include "data/field_error.h"
#include "data/status_macros.h"

// Why the layout is what it is. Every byte per person costs 300 MB at the national target
// (DESIGN.md §1), and the store's budget is 120 bytes per person at 10 M persons (§7).
//
// Blocks. Column storage grows one block of 65,536 records at a time. A std::vector column
// would double its capacity on growth, briefly holding old and new copies (at 300 M persons
// the NIK column alone is 2.4 GB) and afterwards up to half of it idle; a block is never
// copied and at most one block is part-filled. The same block size also scopes the text
// positions: each block keeps the 64-bit arena offset of its first blob, and each record a
// 32-bit delta from it. Blob offsets grow with the id because records are append-only, so the
// delta is never negative, and it cannot overflow: a blob is at most kMaxPersonBlobBytes, no
// larger than an arena chunk, so each blob starts less than two blob sizes after the previous
// one (StringArena's bound) and the last blob of a block starts less than
// 2 * 65,536 * kMaxPersonBlobBytes < 4 GiB after the first (asserted below).
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
// the household holding its tail (last_member), whose next is the head. That is 4 bytes per
// person and 4 per household, O(1) append, insertion order, and correct for members arriving
// in any row order.

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

// Person flag bits the store keeps for itself.
// TODO(#4): bit 15 marks a person version as deleted once updates append a new version and
// tombstone the old one; until then Add refuses it so that no import can set it.
constexpr uint16_t kReservedPersonFlags = uint16_t{1} << 15;

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

absl::Status ValidatePerson(const Person& p) {
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
  if ((p.flags & kReservedPersonFlags) != 0) {
    return InvalidField("flags", absl::StrFormat("0x%04x uses reserved bit 15", p.flags));
  }
  return absl::OkStatus();
}

absl::Status ValidateHousehold(const Household& h) {
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

template <typename Block>
size_t BlockBytes(const std::vector<std::unique_ptr<Block>>& blocks) {
  return blocks.size() * sizeof(Block) + blocks.capacity() * sizeof(blocks[0]);
}

}  // namespace

static_assert(kRecordsPerBlock == uint64_t{1} << 16);

struct RecordStore::PersonText {
  uint32_t profile = 0;
  std::string_view id_art;
  std::string_view nama;
  uint64_t mother_tag = 0;
  std::string_view mother_inline;  // when !(mother_tag & kMotherIsReference)
  std::optional<std::string_view> nik_text;
  std::optional<std::string_view> dob_text;
};

struct RecordStore::HouseholdText {
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

void RecordStore::Reserve(size_t persons, size_t households) {
  person_ids_.reserve(persons);
  household_ids_.reserve(households);
  person_blocks_.reserve((persons + kBlockSize - 1) / kBlockSize);
  household_blocks_.reserve((households + kBlockSize - 1) / kBlockSize);
}

absl::StatusOr<PersonId> RecordStore::Add(const Household& household, const Person& person) {
  // Everything that can fail is checked before anything changes, so an error adds nothing.
  PADAN_RETURN_IF_ERROR(ValidatePerson(person));
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
    PADAN_RETURN_IF_ERROR(ValidateHousehold(household));
    if (household_count_ >= kMaxHouseholds) {
      return absl::ResourceExhaustedError(
          absl::StrFormat("the store is full: it holds at most %d households", kMaxHouseholds));
    }
    household_id = AppendHousehold(household);
  } else {
    CheckHouseholdRow(*household_id, household);
  }
  return AppendPerson(person, *household_id, new_household);
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
    household_blocks_.push_back(std::make_unique_for_overwrite<HouseholdBlock>());
    household_blocks_.back()->text_base = offset;
  }
  HouseholdBlock& block = *household_blocks_.back();
  assert(offset - block.text_base <= std::numeric_limits<uint32_t>::max());
  block.text_delta[row] = static_cast<uint32_t>(offset - block.text_base);
  block.no_kk_value[row] = h.no_kk_value;
  block.word[row] = h.kode_wilayah | uint64_t{h.desil} << kDesilShift |
                    uint64_t{h.program} << kProgramShift |
                    uint64_t{static_cast<uint8_t>(h.status)} << kHouseholdStatusShift |
                    uint64_t{h.flags} << kHouseholdFlagsShift;
  block.updated_at[row] = h.updated_at.Pack();
  // last_member is written by AppendPerson, which always follows.
  ++household_count_;
  household_ids_.insert(id.value);
  return id;
}

void RecordStore::CheckHouseholdRow(HouseholdId id, const Household& row) {
  HouseholdBlock& block = *household_blocks_[id.value >> kBlockShift];
  uint64_t& word = block.word[Row(id.value)];
  constexpr uint64_t kConflict = uint64_t{kHouseholdConflictingRows} << kHouseholdFlagsShift;
  if ((word & kConflict) != 0) return;  // already flagged; nothing more to learn
  const HouseholdText text = DecodeHousehold(id);
  const uint64_t no_kk_value = block.no_kk_value[Row(id.value)];
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

PersonId RecordStore::AppendPerson(const Person& p, HouseholdId household, bool first_member) {
  const auto id = PersonId(static_cast<uint32_t>(person_count_));
  const bool keep_nik_text = !IsCanonicalIdText(p.nik, p.nik_value);
  const bool keep_dob_text = !p.tanggal_lahir_text.empty();
  const uint64_t mother_tag = first_member ? uint64_t{p.nama_ibu_kandung.size()} << 1
                                           : MotherNameTag(p.nama_ibu_kandung, household, id);
  scratch_.clear();
  PutVarint(uint64_t{InternProfile(p)} << kProfileShift | (keep_nik_text ? kHasNikText : 0) |
                (keep_dob_text ? kHasDobText : 0),
            &scratch_);
  PutText(p.id_art, &scratch_);
  PutText(p.nama, &scratch_);
  PutVarint(mother_tag, &scratch_);
  if ((mother_tag & kMotherIsReference) == 0) scratch_.append(p.nama_ibu_kandung);
  if (keep_nik_text) PutText(p.nik, &scratch_);
  if (keep_dob_text) PutText(p.tanggal_lahir_text, &scratch_);
  const uint64_t offset = person_text_.Append(scratch_);

  const uint32_t row = Row(id.value);
  if (row == 0) {
    person_blocks_.push_back(std::make_unique_for_overwrite<PersonBlock>());
    person_blocks_.back()->text_base = offset;
  }
  PersonBlock& block = *person_blocks_.back();
  assert(offset - block.text_base <= std::numeric_limits<uint32_t>::max());
  block.text_delta[row] = static_cast<uint32_t>(offset - block.text_base);
  block.word[row] = p.nik_value | uint64_t{static_cast<uint8_t>(p.jenis_kelamin)} << kSexShift |
                    uint64_t{static_cast<uint8_t>(p.hubungan)} << kHubunganShift |
                    uint64_t{static_cast<uint8_t>(p.status_kawin)} << kStatusKawinShift |
                    uint64_t{static_cast<uint8_t>(p.status_hidup)} << kStatusHidupShift;
  block.tanggal_lahir[row] = p.tanggal_lahir.Pack();
  block.tempat_lahir[row] = tempat_lahir_.Intern(p.tempat_lahir);
  block.household[row] = household.value;
  block.flags[row] = p.flags;

  uint32_t& last =
      household_blocks_[household.value >> kBlockShift]->last_member[Row(household.value)];
  if (first_member) {
    block.next_member[row] = id.value;
  } else {
    uint32_t& last_next = person_blocks_[last >> kBlockShift]->next_member[Row(last)];
    block.next_member[row] = last_next;  // the head
    last_next = id.value;
  }
  last = id.value;

  ++person_count_;  // before the insert, which hashes the new id through id_art(id)
  person_ids_.insert(id.value);
  return id;
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
  return person_text_.At(block.text_base + block.text_delta[Row(id.value)]);
}

const char* RecordStore::HouseholdBlob(HouseholdId id) const {
  const HouseholdBlock& block = HouseholdBlockOf(id);
  return household_text_.At(block.text_base + block.text_delta[Row(id.value)]);
}

RecordStore::PersonText RecordStore::DecodePerson(PersonId id) const {
  BlobReader reader(PersonBlob(id));
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
  return text;
}

RecordStore::HouseholdText RecordStore::DecodeHousehold(HouseholdId id) const {
  BlobReader reader(HouseholdBlob(id));
  HouseholdText text;
  const uint64_t header = reader.Varint();
  text.dusun = static_cast<uint32_t>(header >> kDusunShift);
  text.rt = static_cast<uint32_t>(reader.Varint());
  text.rw = static_cast<uint32_t>(reader.Varint());
  text.id_keluarga = reader.Text();
  text.alamat = reader.Text();
  if ((header & kHasNoKkText) != 0) text.no_kk_text = reader.Text();
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

Person RecordStore::GetPerson(PersonId id) const {
  const PersonText text = DecodePerson(id);
  const PersonBlock& block = PersonBlockOf(id);
  const uint32_t row = Row(id.value);
  const uint64_t word = block.word[row];
  const Profile& profile = profiles_[text.profile];
  Person p;
  p.id_art = std::string(text.id_art);
  p.id_keluarga = std::string(id_keluarga(HouseholdId(block.household[row])));
  p.nik_value = word & kNikMask;
  p.nik = MaterialiseIdText(text.nik_text, p.nik_value);
  p.nama = std::string(text.nama);
  p.jenis_kelamin = static_cast<Sex>((word >> kSexShift) & kSexMask);
  p.tempat_lahir = std::string(tempat_lahir_.Get(block.tempat_lahir[row]));
  p.tanggal_lahir = Date::Unpack(block.tanggal_lahir[row]);
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
  const uint64_t word = block.word[row];
  Household h;
  h.id_keluarga = std::string(text.id_keluarga);
  h.no_kk_value = block.no_kk_value[row];
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
  uint32_t member = last;
  do {
    member = PersonBlockOf(PersonId(member)).next_member[Row(member)];
    members.push_back(PersonId(member));
  } while (member != last);
  return members;
}

RecordStore::MemoryBreakdown RecordStore::Memory() const {
  MemoryBreakdown m;
  m.person_columns = BlockBytes(person_blocks_);
  m.household_columns = BlockBytes(household_blocks_);
  m.person_text = person_text_.MemoryUsage() + scratch_.capacity();
  m.household_text = household_text_.MemoryUsage();
  m.dictionaries = tempat_lahir_.MemoryUsage() + pekerjaan_.MemoryUsage() +
                   pendidikan_.MemoryUsage() + disabilitas_.MemoryUsage() + dusun_.MemoryUsage() +
                   rt_rw_.MemoryUsage() + profiles_.capacity() * sizeof(Profile) +
                   HashTableBytes(profile_codes_);
  m.id_maps = HashTableBytes(person_ids_) + HashTableBytes(household_ids_);
  return m;
}

}  // namespace padan
