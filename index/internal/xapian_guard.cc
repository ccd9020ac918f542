#include "index/internal/xapian_guard.h"

#include <exception>
#include <new>
#include <string>

#include <xapian.h>

#include "data/absl_strings.h"

namespace padan::internal {
namespace {

absl::Status Make(absl::StatusCode code, std::string_view context, const std::string& what) {
  return absl::Status(code, StrCat(context, ": ", what));
}

}  // namespace

absl::Status RunXapian(std::string_view context, absl::FunctionRef<void()> body) {
  // The order matters: a derived class is caught before its base.
  try {
    body();
    return absl::OkStatus();
  } catch (const Xapian::DatabaseLockError& e) {
    return Make(absl::StatusCode::kFailedPrecondition, context,
                StrCat(e.get_description(), " (another writer has the database open)"));
  } catch (const Xapian::DatabaseModifiedError& e) {
    return Make(absl::StatusCode::kAborted, context, e.get_description());
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Make(absl::StatusCode::kDataLoss, context, e.get_description());
  } catch (const Xapian::DatabaseNotFoundError& e) {
    return Make(absl::StatusCode::kNotFound, context, e.get_description());
  } catch (const Xapian::DatabaseVersionError& e) {
    return Make(absl::StatusCode::kDataLoss, context,
                StrCat(e.get_description(), " (not a Xapian 1.4 glass database, or damaged)"));
  } catch (const Xapian::DatabaseOpeningError& e) {
    return Make(absl::StatusCode::kDataLoss, context,
                StrCat(e.get_description(), " (no readable database there)"));
  } catch (const Xapian::DatabaseCreateError& e) {
    return Make(absl::StatusCode::kFailedPrecondition, context, e.get_description());
  } catch (const Xapian::DatabaseClosedError& e) {
    return Make(absl::StatusCode::kFailedPrecondition, context, e.get_description());
  } catch (const Xapian::DatabaseError& e) {
    const std::string description = e.get_description();
    const bool full = description.find("No space left") != std::string::npos ||
                      description.find("Disk quota") != std::string::npos;
    return Make(full ? absl::StatusCode::kResourceExhausted : absl::StatusCode::kInternal, context,
                description);
  } catch (const Xapian::InvalidArgumentError& e) {
    return Make(absl::StatusCode::kInvalidArgument, context, e.get_description());
  } catch (const Xapian::InvalidOperationError& e) {
    return Make(absl::StatusCode::kFailedPrecondition, context, e.get_description());
  } catch (const Xapian::QueryParserError& e) {
    return Make(absl::StatusCode::kInvalidArgument, context, e.get_description());
  } catch (const Xapian::WildcardError& e) {
    return Make(absl::StatusCode::kInvalidArgument, context, e.get_description());
  } catch (const Xapian::RangeError& e) {
    return Make(absl::StatusCode::kInvalidArgument, context, e.get_description());
  } catch (const Xapian::DocNotFoundError& e) {
    return Make(absl::StatusCode::kNotFound, context, e.get_description());
  } catch (const Xapian::Error& e) {
    return Make(absl::StatusCode::kInternal, context, e.get_description());
  } catch (const std::bad_alloc&) {
    return Make(absl::StatusCode::kResourceExhausted, context, "out of memory");
  } catch (const std::exception& e) {
    return Make(absl::StatusCode::kInternal, context, e.what());
  }
}

}  // namespace padan::internal
