// CopyRegistry: a private, consistent copy of a live registry for a long batch run (the server's
// dedup job), so that the run holds no lock on the serving database for minutes. The source's
// read lock is held only while its snapshot is written (writers wait that long, readers not at
// all); the copy is then loaded from that snapshot like a start-up. It costs the registry's
// memory a second time while the run lasts, and its size on disk in `dir`.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"

#include "index/database.h"
#include "matching/address_normalizer.h"
#include "matching/name_normalizer.h"

namespace padan {

// `dir` must not exist or be empty; the caller removes it when done with the copy. The copy
// takes no background snapshots and should not be written to.
absl::StatusOr<std::unique_ptr<Database>> CopyRegistry(const Database& source,
                                                       const NameNormalizer& names,
                                                       const AddressNormalizer& addresses,
                                                       const std::string& dir);

}  // namespace padan
