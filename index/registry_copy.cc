#include "index/registry_copy.h"

#include "data/status_macros.h"
#include "index/registry.h"

namespace padan {

absl::StatusOr<std::unique_ptr<Database>> CopyRegistry(const Database& source,
                                                       const NameNormalizer& names,
                                                       const AddressNormalizer& addresses,
                                                       const std::string& dir) {
  DatabaseOptions options;
  options.dir = dir;
  options.background_snapshots = false;
  {
    Database::ReadView view = source.Read();
    PADAN_RETURN_IF_ERROR(Database::CreateFrom(options, view.state()));
  }
  return Database::Open(options, std::make_unique<Registry>(names, addresses));
}

}  // namespace padan
