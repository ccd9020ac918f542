#include "server/jobs/job_type.h"

namespace padan {

std::unique_ptr<JobType> MakeLinkJobType();

std::vector<std::unique_ptr<JobType>> ServerJobTypes() {
  std::vector<std::unique_ptr<JobType>> types;
  types.push_back(MakeLinkJobType());
  return types;
}

}  // namespace padan
