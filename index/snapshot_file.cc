#include "index/snapshot_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <limits>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/file_io.h"
#include "index/crc32c.h"
#include "index/huge_pages.h"

// Writing. The header of a section (its payload length and CRC) comes before the payload, but
// both are only known once the payload is written, and a payload can be gigabytes (the person
// columns of a national store), so it is never held in memory: the writer writes a placeholder
// header, streams the payload through a buffer while extending its CRC, and patches the header
// afterwards (in the buffer when it is still there, else with pwrite). The file header's
// section count is patched the same way by Finish.
//
// Reading. Open reads the whole file into one buffer, in large read() calls, and checks every
// section's CRC over that buffer before anything is parsed; the reads that follow copy out of
// the buffer, so each byte is copied from the page cache once and into its final place once.
// The buffer is populated huge pages (index/huge_pages.h): read() into fresh 4 KiB pages
// costs a page fault per 4 KiB, which made reading a 924 MB snapshot take 9 s instead of 1 s
// on the reference VM. It lives as long as the reader: destroy the reader once the state is
// loaded.

namespace padan {
namespace {

constexpr char kMagic[8] = {'P', 'A', 'D', 'A', 'N', 'S', 'N', 'P'};
// magic, u32 version, u32 section count.
constexpr size_t kFileHeaderBytes = sizeof(kMagic) + 4 + 4;
constexpr size_t kSectionCountOffset = sizeof(kMagic) + 4;
// After a section's name: u64 payload length, u32 CRC-32C.
constexpr size_t kSectionTrailerBytes = 8 + 4;
// Section names are short identifiers ("store.persons"); the bound makes a corrupt length
// field fail as such instead of as a misplaced section.
constexpr uint32_t kMaxSectionNameBytes = 256;
// Small appends are gathered into a buffer of this size; larger ones are written directly.
constexpr size_t kWriteBufferBytes = size_t{1} << 20;
// Bytes asked of each read(): large enough to keep the kernel's readahead streaming, and below
// the ~2 GiB a single read() returns at most on Linux.
constexpr size_t kReadChunkBytes = size_t{64} << 20;
// Below this many bytes for a second thread, checksumming on one is quicker than starting it.
constexpr uint64_t kParallelChecksumBytes = uint64_t{16} << 20;

void PutU32(uint32_t value, char* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(value >> (8 * i));
}

void PutU64(uint64_t value, char* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(value >> (8 * i));
}

uint32_t GetU32(const char* in) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= uint32_t{static_cast<uint8_t>(in[i])} << (8 * i);
  return value;
}

uint64_t GetU64(const char* in) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= uint64_t{static_cast<uint8_t>(in[i])} << (8 * i);
  return value;
}

absl::Status WriteAll(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoToStatus(errno, "cannot write", path);
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status PwriteAll(int fd, const char* data, size_t size, uint64_t offset,
                       const std::string& path) {
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoToStatus(errno, "cannot write", path);
    }
    data += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return absl::OkStatus();
}

// The folder holding `path`, whose entry the rename changes.
std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// A section name as it may appear in a message: bytes from a corrupt file are escaped.
std::string Printable(std::string_view name) { return absl::CHexEscape(ToAbsl(name)); }

}  // namespace

// --- SnapshotWriter ---------------------------------------------------------------------------

class SnapshotWriter::Impl {
 public:
  Impl(std::string path, int fd)
      : path_(std::move(path)),
        tmp_path_(path_ + ".tmp"),
        fd_(fd),
        buffer_(std::make_unique_for_overwrite<char[]>(kWriteBufferBytes)) {
    char header[kFileHeaderBytes];
    std::memcpy(header, kMagic, sizeof(kMagic));
    PutU32(kSnapshotFormatVersion, header + sizeof(kMagic));
    PutU32(0, header + kSectionCountOffset);  // patched by Finish
    WriteRaw(header, sizeof(header));
  }

  ~Impl() {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(tmp_path_.c_str());
    }
  }

  void BeginSection(std::string_view name) {
    EndSection();
    if (name.empty() || name.size() > kMaxSectionNameBytes) {
      Fail(absl::InvalidArgumentError(absl::StrFormat(
          "snapshot section name '%s' must be 1-%d bytes", Printable(name), kMaxSectionNameBytes)));
      return;
    }
    if (!names_.insert(std::string(name)).second) {
      Fail(absl::InvalidArgumentError(
          absl::StrFormat("snapshot section '%s' is written twice", Printable(name))));
      return;
    }
    char length[4];
    PutU32(static_cast<uint32_t>(name.size()), length);
    WriteRaw(length, sizeof(length));
    WriteRaw(name.data(), name.size());
    trailer_offset_ = position_;
    const char placeholder[kSectionTrailerBytes] = {};
    WriteRaw(placeholder, sizeof(placeholder));
    in_section_ = true;
    section_bytes_ = 0;
    section_crc_ = 0;
    ++section_count_;
  }

  void Append(const void* data, size_t size) {
    if (!in_section_) {
      Fail(absl::FailedPreconditionError("snapshot bytes appended before any BeginSection"));
      return;
    }
    section_crc_ = crc32c::Extend(section_crc_, data, size);
    section_bytes_ += size;
    WriteRaw(data, size);
  }

  absl::Status Finish() {
    if (finished_) return absl::FailedPreconditionError("snapshot Finish called twice");
    finished_ = true;
    EndSection();
    char count[4];
    PutU32(section_count_, count);
    Patch(kSectionCountOffset, count, sizeof(count));
    Flush();
    if (status_.ok() && ::fsync(fd_) != 0)
      status_ = ErrnoToStatus(errno, "cannot fsync", tmp_path_);
    if (::close(fd_) != 0 && status_.ok())
      status_ = ErrnoToStatus(errno, "cannot close", tmp_path_);
    fd_ = -1;
    if (!status_.ok()) {
      ::unlink(tmp_path_.c_str());
      return status_;
    }
    if (::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
      status_ = ErrnoToStatus(errno, StrCat("cannot rename ", tmp_path_, " to"), path_);
      ::unlink(tmp_path_.c_str());
      return status_;
    }
    // The rename is durable only once the folder's entry is on disk.
    const std::string dir = DirectoryOf(path_);
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return status_ = ErrnoToStatus(errno, "cannot open folder", dir);
    if (::fsync(dir_fd) != 0) status_ = ErrnoToStatus(errno, "cannot fsync folder", dir);
    ::close(dir_fd);
    return status_;
  }

 private:
  void Fail(absl::Status status) {
    if (status_.ok()) status_ = std::move(status);
  }

  void EndSection() {
    if (!in_section_) return;
    in_section_ = false;
    char trailer[kSectionTrailerBytes];
    PutU64(section_bytes_, trailer);
    PutU32(section_crc_, trailer + 8);
    Patch(trailer_offset_, trailer, sizeof(trailer));
  }

  void WriteRaw(const void* data, size_t size) {
    if (!status_.ok()) return;
    if (size > kWriteBufferBytes - used_) {
      Flush();
      if (!status_.ok()) return;
    }
    if (size >= kWriteBufferBytes) {
      status_ = WriteAll(fd_, static_cast<const char*>(data), size, tmp_path_);
    } else if (size > 0) {  // an empty column's data() may be null, which memcpy may not get
      std::memcpy(buffer_.get() + used_, data, size);
      used_ += size;
    }
    position_ += size;
  }

  void Flush() {
    if (!status_.ok() || used_ == 0) return;
    status_ = WriteAll(fd_, buffer_.get(), used_, tmp_path_);
    used_ = 0;
  }

  // Overwrites `size` bytes written earlier at file offset `offset`. Patched fields are small
  // and were written whole, so they are either all in the buffer or all in the file.
  void Patch(uint64_t offset, const char* data, size_t size) {
    if (!status_.ok()) return;
    const uint64_t buffer_start = position_ - used_;
    if (offset >= buffer_start) {
      std::memcpy(buffer_.get() + (offset - buffer_start), data, size);
    } else {
      status_ = PwriteAll(fd_, data, size, offset, tmp_path_);
    }
  }

  const std::string path_;
  const std::string tmp_path_;
  int fd_;
  std::unique_ptr<char[]> buffer_;
  size_t used_ = 0;        // bytes in buffer_, not yet written
  uint64_t position_ = 0;  // file offset of the next byte, buffered bytes included
  absl::Status status_;    // the first error; every later step does nothing
  bool finished_ = false;

  absl::flat_hash_set<std::string> names_;
  uint32_t section_count_ = 0;
  bool in_section_ = false;
  uint64_t trailer_offset_ = 0;
  uint64_t section_bytes_ = 0;
  uint32_t section_crc_ = 0;
};

SnapshotWriter::SnapshotWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SnapshotWriter::~SnapshotWriter() = default;

absl::StatusOr<std::unique_ptr<SnapshotWriter>> SnapshotWriter::Create(const std::string& path) {
  const std::string tmp_path = path + ".tmp";
  const int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoToStatus(errno, "cannot create", tmp_path);
  return std::unique_ptr<SnapshotWriter>(new SnapshotWriter(std::make_unique<Impl>(path, fd)));
}

void SnapshotWriter::BeginSection(std::string_view name) { impl_->BeginSection(name); }
void SnapshotWriter::Append(const void* data, size_t size) { impl_->Append(data, size); }

void SnapshotWriter::AppendU32(uint32_t value) {
  char bytes[4];
  PutU32(value, bytes);
  impl_->Append(bytes, sizeof(bytes));
}

void SnapshotWriter::AppendU64(uint64_t value) {
  char bytes[8];
  PutU64(value, bytes);
  impl_->Append(bytes, sizeof(bytes));
}

void SnapshotWriter::AppendString(std::string_view value) {
  assert(value.size() <= std::numeric_limits<uint32_t>::max());
  AppendU32(static_cast<uint32_t>(value.size()));
  impl_->Append(value.data(), value.size());
}

absl::Status SnapshotWriter::Finish() { return impl_->Finish(); }

// --- SnapshotReader ---------------------------------------------------------------------------

namespace {

// A snapshot's bytes in memory: the file mapped read-only from the page cache, or, where it
// cannot be mapped, read into a buffer. Mapping copies each byte once (into the state being
// loaded) instead of twice, and needs no fresh memory for the file: at 10 M persons that is
// 1.4 GB that the kernel no longer zero-fills and copies at start-up. Snapshots are never
// changed once renamed into place; one truncated by another process while it loads would fault.
class SnapshotBytes {
 public:
  static absl::StatusOr<SnapshotBytes> Load(int fd, uint64_t size, const std::string& path) {
    SnapshotBytes bytes;
    if (size == 0) return bytes;
    void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (mapped != MAP_FAILED) {
      bytes.mapped_ = static_cast<const char*>(mapped);
      bytes.mapped_size_ = size;
      return bytes;
    }
    bytes.buffer_ = HugePageBuffer(size);
    if (bytes.buffer_.data() == nullptr) {
      return absl::ResourceExhaustedError(
          absl::StrFormat("snapshot %s: cannot allocate %d bytes to read it", path, size));
    }
    uint64_t done = 0;
    while (done < size) {
      const ssize_t n =
          ::read(fd, bytes.buffer_.data() + done, std::min<uint64_t>(kReadChunkBytes, size - done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoToStatus(errno, "cannot read", path);
      }
      if (n == 0) {
        return absl::DataLossError(absl::StrFormat(
            "snapshot %s: the file shrank to %d bytes while it was read (%d expected)", path, done,
            size));
      }
      done += static_cast<uint64_t>(n);
    }
    return bytes;
  }

  SnapshotBytes() = default;
  SnapshotBytes(SnapshotBytes&& other) noexcept
      : mapped_(std::exchange(other.mapped_, nullptr)),
        mapped_size_(std::exchange(other.mapped_size_, 0)),
        buffer_(std::move(other.buffer_)) {}
  SnapshotBytes& operator=(SnapshotBytes&&) = delete;
  ~SnapshotBytes() {
    if (mapped_ != nullptr) ::munmap(const_cast<char*>(mapped_), mapped_size_);
  }

  const char* data() const { return mapped_ != nullptr ? mapped_ : buffer_.data(); }

 private:
  const char* mapped_ = nullptr;
  uint64_t mapped_size_ = 0;
  HugePageBuffer buffer_;
};

}  // namespace

class SnapshotReader::Impl {
 public:
  struct Section {
    std::string_view name;  // in data_
    uint64_t offset = 0;    // of the payload in data_
    uint64_t size = 0;
    uint32_t stored_crc = 0;
  };

  Impl(std::string path, SnapshotBytes bytes, uint64_t size)
      : path_(std::move(path)), bytes_(std::move(bytes)), data_(bytes_.data()), size_(size) {}

  // Checks the header and every section; fills sections_.
  absl::Status Parse() {
    if (size_ < kFileHeaderBytes) {
      return Corrupt(absl::StrFormat("the file is %d bytes long, shorter than the %d-byte header",
                                     size_, kFileHeaderBytes));
    }
    if (std::memcmp(data_, kMagic, sizeof(kMagic)) != 0) {
      return Corrupt("the file does not start with \"PADANSNP\": it is not a padan snapshot");
    }
    const uint32_t version = GetU32(data_ + sizeof(kMagic));
    if (version != kSnapshotFormatVersion) {
      return Corrupt(
          absl::StrFormat("format version %d%s; this build reads version %d", version,
                          version > kSnapshotFormatVersion ? " (written by a newer padan)" : "",
                          kSnapshotFormatVersion));
    }
    const uint32_t count = GetU32(data_ + kSectionCountOffset);
    uint64_t pos = kFileHeaderBytes;
    absl::flat_hash_set<std::string_view> names;
    for (uint32_t i = 0; i < count; ++i) {
      if (size_ - pos < 4) return Truncated(i, count, pos);
      const uint32_t name_size = GetU32(data_ + pos);
      if (name_size == 0 || name_size > kMaxSectionNameBytes) {
        return Corrupt(absl::StrFormat("section %d of %d at byte %d: name length %d is not 1-%d",
                                       i + 1, count, pos, name_size, kMaxSectionNameBytes));
      }
      pos += 4;
      if (size_ - pos < name_size + kSectionTrailerBytes) return Truncated(i, count, pos);
      Section section;
      section.name = std::string_view(data_ + pos, name_size);
      pos += name_size;
      section.size = GetU64(data_ + pos);
      const uint32_t stored_crc = GetU32(data_ + pos + 8);
      pos += kSectionTrailerBytes;
      section.offset = pos;
      if (section.size > size_ - pos) {
        return Corrupt(absl::StrFormat(
            "section '%s' (%d of %d) claims %d bytes but only %d remain: the file is truncated or "
            "its header corrupt",
            Printable(section.name), i + 1, count, section.size, size_ - pos));
      }
      section.stored_crc = stored_crc;
      if (!names.insert(section.name).second) {
        return Corrupt(absl::StrFormat("section '%s' appears twice", Printable(section.name)));
      }
      sections_.push_back(section);
      pos += section.size;
    }
    if (pos != size_) {
      return Corrupt(absl::StrFormat(
          "%d bytes follow the last of the %d sections the header announces: the header is "
          "corrupt",
          size_ - pos, count));
    }
    return CheckSums();
  }

  // Checks every section's CRC-32C; the first failing one in file order is reported. A large
  // file's sections are checksummed on two threads, the sections split by size between them
  // (at 10 M persons the store's persons are 900 MB of the 1.4 GB).
  absl::Status CheckSums() const {
    std::vector<uint32_t> crcs(sections_.size());
    std::vector<size_t> order(sections_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return sections_[a].size > sections_[b].size; });
    std::vector<size_t> mine;
    std::vector<size_t> other;
    uint64_t mine_bytes = 0;
    uint64_t other_bytes = 0;
    for (size_t i : order) {
      const bool to_mine = mine_bytes <= other_bytes;
      (to_mine ? mine : other).push_back(i);
      (to_mine ? mine_bytes : other_bytes) += sections_[i].size;
    }
    auto sum = [&](const std::vector<size_t>& indexes) {
      for (size_t i : indexes) {
        crcs[i] = crc32c::Value(data_ + sections_[i].offset, sections_[i].size);
      }
    };
    if (other_bytes >= kParallelChecksumBytes) {
      std::jthread helper([&] { sum(other); });
      sum(mine);
    } else {
      sum(mine);
      sum(other);
    }
    for (size_t i = 0; i < sections_.size(); ++i) {
      const Section& section = sections_[i];
      if (crcs[i] != section.stored_crc) {
        return Corrupt(absl::StrFormat(
            "section '%s' (%d of %d, %d bytes) fails its checksum (CRC-32C 0x%08x, stored "
            "0x%08x): its content is corrupt",
            Printable(section.name), i + 1, sections_.size(), section.size, crcs[i],
            section.stored_crc));
      }
    }
    return absl::OkStatus();
  }

  bool HasSection(std::string_view name) const { return Find(name) != nullptr; }

  absl::Status OpenSection(std::string_view name) {
    const Section* section = Find(name);
    if (section == nullptr) {
      return Corrupt(absl::StrFormat("the section '%s' is missing", Printable(name)));
    }
    open_ = section;
    pos_ = section->offset;
    end_ = section->offset + section->size;
    return absl::OkStatus();
  }

  absl::Status Read(void* data, size_t size) {
    if (size > end_ - pos_) return PastEnd(size);
    if (size > 0) std::memcpy(data, data_ + pos_, size);
    pos_ += size;
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> ReadString() {
    char length[4];
    if (absl::Status s = Read(length, sizeof(length)); !s.ok()) return s;
    const uint32_t size = GetU32(length);
    if (size > end_ - pos_) return PastEnd(size);
    std::string value(data_ + pos_, size);
    pos_ += size;
    return value;
  }

  uint64_t remaining() const { return end_ - pos_; }

 private:
  const Section* Find(std::string_view name) const {
    for (const Section& section : sections_) {
      if (section.name == name) return &section;
    }
    return nullptr;
  }

  absl::Status PastEnd(uint64_t size) const {
    if (open_ == nullptr) return Corrupt("read before any section was opened");
    return Corrupt(absl::StrFormat(
        "section '%s' ends too early: %d bytes wanted at payload offset %d, %d left",
        Printable(open_->name), size, pos_ - open_->offset, end_ - pos_));
  }

  absl::Status Corrupt(std::string_view problem) const {
    return absl::DataLossError(StrCat("snapshot ", path_, ": ", problem));
  }

  absl::Status Truncated(uint32_t index, uint32_t count, uint64_t pos) const {
    return Corrupt(absl::StrFormat(
        "the header of section %d of %d is cut off at byte %d: the file is truncated", index + 1,
        count, pos));
  }

  const std::string path_;
  const SnapshotBytes bytes_;
  const char* const data_;  // bytes_'s
  const uint64_t size_;
  std::vector<Section> sections_;
  const Section* open_ = nullptr;
  uint64_t pos_ = 0;  // next byte to read
  uint64_t end_ = 0;  // end of the open section's payload
};

SnapshotReader::SnapshotReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SnapshotReader::~SnapshotReader() = default;

absl::StatusOr<std::unique_ptr<SnapshotReader>> SnapshotReader::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoToStatus(errno, "cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return ErrnoToStatus(error, "cannot stat", path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::DataLossError(StrCat("snapshot ", path, ": not a regular file"));
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  absl::StatusOr<SnapshotBytes> data = SnapshotBytes::Load(fd, size, path);
  ::close(fd);  // a mapping stays valid without its descriptor
  if (!data.ok()) return data.status();
  auto impl = std::make_unique<Impl>(path, *std::move(data), size);
  if (absl::Status s = impl->Parse(); !s.ok()) return s;
  return std::unique_ptr<SnapshotReader>(new SnapshotReader(std::move(impl)));
}

bool SnapshotReader::HasSection(std::string_view name) const { return impl_->HasSection(name); }
absl::Status SnapshotReader::OpenSection(std::string_view name) { return impl_->OpenSection(name); }
absl::Status SnapshotReader::Read(void* data, size_t size) { return impl_->Read(data, size); }

absl::StatusOr<uint32_t> SnapshotReader::ReadU32() {
  char bytes[4];
  if (absl::Status s = impl_->Read(bytes, sizeof(bytes)); !s.ok()) return s;
  return GetU32(bytes);
}

absl::StatusOr<uint64_t> SnapshotReader::ReadU64() {
  char bytes[8];
  if (absl::Status s = impl_->Read(bytes, sizeof(bytes)); !s.ok()) return s;
  return GetU64(bytes);
}

absl::StatusOr<std::string> SnapshotReader::ReadString() { return impl_->ReadString(); }
uint64_t SnapshotReader::remaining() const { return impl_->remaining(); }

}  // namespace padan
