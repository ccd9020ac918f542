// The write-ahead log: segment files of checksummed, sequence-numbered entries, written in
// atomic batches and fsynced per commit (WriteAheadLog), and read back batch by batch up to the
// first damaged entry (WriteAheadLogReader), so that recovery can cut a torn tail there.
//
// A segment is named wal-<first sequence, 20 digits>.log and holds a 12-byte header (magic
// "PADANWAL", u32 format version) followed by entries:
//
//   u32 length word   payload length in bits 0-30; bit 31 set when the next entry belongs to
//                     the same batch (a batch is applied whole or not at all)
//   u32 CRC-32C       of the length word, the sequence and the payload
//   u64 sequence      one more than the previous entry's; the first is the file name's
//   payload
//
// All integers little-endian. A batch is complete when an entry without bit 31 ends it; a
// reader never returns part of a batch, so a crash in the middle of writing one loses it whole.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace padan {

inline constexpr uint32_t kWalFormatVersion = 1;

// Segment layout constants.
inline constexpr uint64_t kWalHeaderBytes = 12;       // magic (8) + version (4)
inline constexpr uint64_t kWalEntryHeaderBytes = 16;  // length word, CRC, sequence
// Largest payload one entry may hold. A household mutation takes about a kilobyte; the limit
// keeps a corrupt length word from making the reader allocate gigabytes.
inline constexpr uint64_t kWalMaxPayloadBytes = uint64_t{64} << 20;

// One complete batch as read back from a segment.
struct WalBatch {
  uint64_t first_sequence = 0;        // payloads[i] has sequence first_sequence + i
  std::vector<std::string> payloads;  // never empty
  uint64_t begin_offset = 0;          // file offset of the batch's first entry
  uint64_t end_offset = 0;            // file offset just past its last entry
};

// One open log segment, appended to in batches. Entries are buffered by AppendBatch and written
// and fdatasync'ed by Sync, so a group of batches costs one fsync.
// Thread-compatible: the Database calls it under its log lock.
class WriteAheadLog {
 public:
  // "wal-00000000000000000042.log".
  static std::string SegmentName(uint64_t first_sequence);
  // The first sequence encoded in a segment file name; false for any other name.
  static bool ParseSegmentName(std::string_view name, uint64_t* first_sequence);

  // Creates dir/SegmentName(first_sequence), which must not exist, writes its header and
  // fsyncs the file and the folder. Errors as ErrnoToStatus (data/file_io.h).
  static absl::StatusOr<std::unique_ptr<WriteAheadLog>> Create(const std::string& dir,
                                                               uint64_t first_sequence);
  // Opens an existing segment to append to it. REQUIRES: the file is exactly `size` bytes of
  // valid log (as a WriteAheadLogReader found it, after Truncate) whose next entry has sequence
  // `next_sequence`.
  static absl::StatusOr<std::unique_ptr<WriteAheadLog>> OpenForAppend(const std::string& path,
                                                                      uint64_t first_sequence,
                                                                      uint64_t size,
                                                                      uint64_t next_sequence);
  // Cuts the file at `path` to `size` bytes and fsyncs it: how recovery drops a torn tail.
  static absl::Status Truncate(const std::string& path, uint64_t size);
  // fsyncs the folder `dir`, so that files created, renamed or removed in it stay so.
  static absl::Status SyncDirectory(const std::string& dir);

  ~WriteAheadLog();  // closes the file; entries not yet synced are dropped
  WriteAheadLog(const WriteAheadLog&) = delete;
  WriteAheadLog& operator=(const WriteAheadLog&) = delete;

  // Buffers `payloads` as one batch with the next sequence numbers and returns the first.
  // Nothing reaches the file before Sync. REQUIRES: payloads is not empty and each is at most
  // kWalMaxPayloadBytes.
  uint64_t AppendBatch(absl::Span<const std::string> payloads);
  // Writes the buffered batches and fdatasyncs. On failure it tries to cut the file back to its
  // last synced size, and from then on every call fails with the same error (reopening the
  // database recovers). Errors as ErrnoToStatus.
  absl::Status Sync();
  // Cuts synced entries off again: the file back to `size` bytes (a size() seen before some
  // AppendBatch) and the next sequence back to `next_sequence`; fsyncs. For batches that were
  // logged but could not be applied, so that recovery does not find them.
  // REQUIRES: nothing buffered (Sync returned).
  absl::Status Rewind(uint64_t size, uint64_t next_sequence);

  // fdatasync calls made on log segments by this process so far (commits, not entries), for
  // benchmarks and statistics. Thread-safe.
  static uint64_t SyncCount();

  const std::string& path() const { return path_; }
  uint64_t first_sequence() const { return first_sequence_; }
  // The sequence the next appended entry gets (buffered batches included).
  uint64_t next_sequence() const { return next_sequence_; }
  // Bytes in the segment, buffered batches included.
  uint64_t size() const { return synced_size_ + pending_.size(); }

 private:
  WriteAheadLog(std::string path, int fd, uint64_t first_sequence, uint64_t size,
                uint64_t next_sequence);

  std::string path_;
  int fd_;
  uint64_t first_sequence_;
  uint64_t next_sequence_;
  uint64_t synced_size_;
  std::string pending_;  // encoded entries not yet written
  absl::Status status_;  // sticky after a failed Sync
};

// Reads one segment from its start, batch by batch. Reading stops at the end of the file or at
// the first entry that is short, fails its checksum, has an impossible length or the wrong
// sequence, or leaves its batch unfinished; problem() then says which and where, and
// valid_end() is where the file should be cut. Not thread-safe.
class WriteAheadLogReader {
 public:
  // Opens `path`, whose name says its first entry has `first_sequence`. Errors as
  // ErrnoToStatus for a file that cannot be opened; kFailedPrecondition for a segment of an
  // unknown format version (written by a newer padan: never cut such a file).
  static absl::StatusOr<std::unique_ptr<WriteAheadLogReader>> Open(const std::string& path,
                                                                   uint64_t first_sequence);
  ~WriteAheadLogReader();
  WriteAheadLogReader(const WriteAheadLogReader&) = delete;
  WriteAheadLogReader& operator=(const WriteAheadLogReader&) = delete;

  // Reads the next complete batch into `batch`. False once there is none: at the clean end of
  // the file, at damage (problem() not empty) or after a read error (status() not OK).
  bool Next(WalBatch* batch);

  // A read error (not damage: the file must not be cut then).
  const absl::Status& status() const { return status_; }
  // Why reading stopped early, with the offset; "" while reading and at a clean end.
  const std::string& problem() const { return problem_; }
  // Offset just past the last complete batch: the length of the valid log. 0 when even the
  // segment header is damaged.
  uint64_t valid_end() const { return valid_end_; }
  // The sequence after the last complete batch.
  uint64_t next_sequence() const { return next_sequence_; }
  uint64_t file_size() const { return file_size_; }

 private:
  WriteAheadLogReader(std::string path, std::FILE* file, uint64_t file_size,
                      uint64_t first_sequence);
  // Reads exactly `size` bytes at the current offset; false on a read error (status_ set).
  bool ReadExactly(void* data, size_t size);
  void Stop(std::string problem);

  std::string path_;
  std::FILE* file_;
  uint64_t file_size_;
  uint64_t offset_ = 0;  // next byte to read
  uint64_t valid_end_ = 0;
  uint64_t next_sequence_;
  bool done_ = false;
  absl::Status status_;
  std::string problem_;
};

}  // namespace padan
