// RunXapian: the one place where padan catches the exceptions Xapian throws and turns them into
// absl::Status (STYLE.md §2.4). Every call into Xapian, in index/text_*.cc, runs inside it.
// This header does not include Xapian, so including it costs nothing.
#pragma once

#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace padan::internal {

// Runs `body` and returns OK, or the error it threw as a status whose message starts with
// `context` and then Xapian's own description (which names the file or term concerned):
//   DatabaseLockError                    kFailedPrecondition (another writer holds the lock)
//   DatabaseCorruptError, DatabaseVersionError, and DatabaseOpeningError on a directory that
//                                        holds no readable database: kDataLoss
//   DatabaseNotFoundError                kNotFound
//   DatabaseModifiedError                kAborted: the revision a reader was reading has been
//                                        overwritten; reopen() and retry (see IsRetryable)
//   DatabaseCreateError, DatabaseClosedError, InvalidOperationError  kFailedPrecondition
//   InvalidArgumentError, QueryParserError, WildcardError, RangeError  kInvalidArgument
//   DocNotFoundError                     kNotFound
//   other DatabaseError (I/O)            kResourceExhausted when the disk is full, else kInternal
//   any other Xapian::Error              kInternal
//   std::bad_alloc                       kResourceExhausted
//   any other std::exception             kInternal
// Nothing escapes: `body` may throw only these.
absl::Status RunXapian(std::string_view context, absl::FunctionRef<void()> body);

// True for the status RunXapian makes of a DatabaseModifiedError.
inline bool IsRetryable(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAborted;
}

// RunXapian, again while `body` fails retryably (a commit discarded the revision it was
// reading), `attempts` times at most; `body` gets the attempt's number (0 first), so that it
// can reopen its database before a retry. Returns the last attempt's status.
inline absl::Status RunXapianRetrying(std::string_view context, int attempts,
                                      absl::FunctionRef<void(int attempt)> body) {
  absl::Status status;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    status = RunXapian(context, [&] { body(attempt); });
    if (!IsRetryable(status)) break;
  }
  return status;
}

}  // namespace padan::internal
