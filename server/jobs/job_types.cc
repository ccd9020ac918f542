#include "server/jobs/job_type.h"

namespace padan {

std::unique_ptr<JobType> MakeDedupJobType();
std::unique_ptr<JobType> MakeLinkJobType();
std::unique_ptr<JobType> MakeVerivaliJobType();

std::vector<std::unique_ptr<JobType>> ServerJobTypes() {
  std::vector<std::unique_ptr<JobType>> types;
  types.push_back(MakeDedupJobType());
  types.push_back(MakeLinkJobType());
  types.push_back(MakeVerivaliJobType());
  return types;
}

}  // namespace padan
