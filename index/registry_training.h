// Training the matching model on the registry itself: the Fellegi-Sunter u and m come from the
// data they will score (DESIGN.md §4), as `padan import --data` does before its first snapshot.
#pragma once

#include <cstddef>

#include "absl/status/statusor.h"

#include "index/registry.h"
#include "matching/em_trainer.h"
#include "matching/fellegi_sunter_model.h"

namespace padan {

// Trains `model` (its spec kept) on at most about `max_records` persons of `registry`. A larger
// registry is sampled by whole kecamatan, chosen by a fixed hash of the code: duplicates are
// mostly registered in the same kecamatan, so the EM sessions still find the pairs they learn m
// from, which a sample of single persons would lose (a pair survives it with the square of the
// sampling rate). Deterministic. Errors as TrainModel.
absl::StatusOr<TrainingReport> TrainOnRegistry(const Registry& registry,
                                               const TrainingOptions& options, size_t max_records,
                                               FellegiSunterModel* model);

}  // namespace padan
