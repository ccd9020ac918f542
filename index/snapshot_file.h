// Snapshot files: a versioned binary container of named sections, each with its own CRC-32C,
// written to a temporary file, fsynced and renamed into place, so a reader sees either the
// whole previous snapshot or the whole new one, and any corruption is detected, never loaded.
//
// Layout: magic "PADANSNP", u32 format version, u32 section count, then per section: u32 name
// length, name bytes, u64 payload length, u32 CRC-32C of the payload, payload. Little-endian.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace padan {

inline constexpr uint32_t kSnapshotFormatVersion = 1;

// Builds one snapshot file. Not thread-safe.
class SnapshotWriter {
 public:
  // Opens `path + ".tmp"` for writing. Errors as data/file_io.h.
  static absl::StatusOr<std::unique_ptr<SnapshotWriter>> Create(const std::string& path);
  ~SnapshotWriter();  // an unfinished snapshot leaves no file behind

  // Starts a named section; bytes appended until the next BeginSection/Finish belong to it.
  void BeginSection(std::string_view name);
  void Append(const void* data, size_t size);
  void AppendU32(uint32_t value);
  void AppendU64(uint64_t value);
  void AppendString(std::string_view value);  // u32 length + bytes
  template <typename T>
  void AppendVector(const std::vector<T>& values) {  // u64 count + raw elements (trivial T)
    AppendU64(values.size());
    Append(values.data(), values.size() * sizeof(T));
  }

  // Writes the last section, fsyncs, renames over `path` and fsyncs the directory.
  absl::Status Finish();

 private:
  class Impl;
  explicit SnapshotWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Reads one snapshot file: checks magic, version and every section's CRC on open.
class SnapshotReader {
 public:
  // kNotFound when absent; kDataLoss naming the problem (bad magic, unknown version, a
  // truncated or corrupt section) otherwise.
  static absl::StatusOr<std::unique_ptr<SnapshotReader>> Open(const std::string& path);

  bool HasSection(std::string_view name) const;
  // Positions reading at the start of a section. kDataLoss when absent.
  absl::Status OpenSection(std::string_view name);
  // Each read fails with kDataLoss past the end of the open section.
  absl::Status Read(void* data, size_t size);
  absl::StatusOr<uint32_t> ReadU32();
  absl::StatusOr<uint64_t> ReadU64();
  absl::StatusOr<std::string> ReadString();
  template <typename T, typename Allocator>
  absl::Status ReadVector(std::vector<T, Allocator>* values, uint64_t max_count) {
    absl::StatusOr<uint64_t> count = ReadU64();
    if (!count.ok()) return count.status();
    if (*count > max_count) return absl::DataLossError("snapshot vector longer than allowed");
    values->resize(*count);
    return Read(values->data(), *count * sizeof(T));
  }
  // Bytes left in the open section.
  uint64_t remaining() const;

  ~SnapshotReader();

 private:
  class Impl;
  explicit SnapshotReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace padan
