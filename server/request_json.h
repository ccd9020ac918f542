// Parsing and strict validation of the v1 API's JSON request bodies (simdjson, error-code API):
// every field's type, pattern and range is checked, unknown fields are refused, and the error
// names the field ("anggota[1].nik").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "data/record.h"
#include "data/region_table.h"
#include "index/mutation.h"
#include "index/query_engine.h"

namespace padan {

// Limits on request values, named for the error messages.
inline constexpr size_t kMaxTextBytes = 512;  // any one text field
inline constexpr size_t kMaxMembers = 100;    // members of one household
inline constexpr size_t kDefaultMatchLimit = 10;
inline constexpr size_t kMaxMatchLimit = 100;

// POST /v1/match: a partial person with household hints, plus "limit" and "wilayah".
struct MatchRequest {
  MatchQuery query;
  size_t limit = kDefaultMatchLimit;
  std::string wilayah;  // optional region filter inside the key's scope
};

// A household with its members: the body of PUT /v1/households/{id}, of POST /v1/dedup/check
// and of each upsert line of POST /v1/ingest.
struct HouseholdBody {
  Household household;
  std::vector<Person> members;
};

// Whether ids are required: a write names every record; a dedup check may omit them.
enum class IdRule : uint8_t { kRequired, kOptional };

// kInvalidArgument naming the field for anything malformed; "body" when the body is not a JSON
// object (or not UTF-8).
absl::StatusOr<MatchRequest> ParseMatchRequest(std::string_view body);
// {"records": [<match request without limit/wilayah>...], "limit": n, "wilayah": "..."}:
// 1 to max_records records.
absl::StatusOr<std::vector<MatchRequest>> ParseMatchBatch(std::string_view body,
                                                          size_t max_records);
absl::StatusOr<HouseholdBody> ParseHouseholdBody(std::string_view body, IdRule ids,
                                                 const RegionTable& regions);
// One line of POST /v1/ingest: a household object as above (upsert), or
// {"op": "delete", "id_keluarga": "..."}. An explicit "op": "upsert" is allowed.
absl::StatusOr<Mutation> ParseIngestLine(std::string_view line, const RegionTable& regions);

}  // namespace padan
