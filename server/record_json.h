// Rendering of registry records and query results as the v1 API's JSON, with the PII masking
// that keys without the PII right get: the NIK's birth-date digits and nama_ibu_kandung hidden.
#pragma once

#include <string>
#include <string_view>

#include "data/json_writer.h"
#include "data/pii_masking.h"
#include "data/record.h"
#include "index/query_engine.h"
#include "matching/fellegi_sunter_model.h"

namespace padan {

// The person's fields (DESIGN §3 names). Masked unless `pii`.
void WritePerson(JsonWriter& json, const Person& person, bool pii);
// The household's fields, without members.
void WriteHousehold(JsonWriter& json, const Household& household);
// A person object with its household under "keluarga".
void WritePersonView(JsonWriter& json, const PersonView& view, bool pii);
// A household object with its members under "anggota".
void WriteHouseholdView(JsonWriter& json, const HouseholdView& view, bool pii);
// {"match_weight", "match_probability", "decision", "explanation": [{field, level, weight}]}
void WriteScore(JsonWriter& json, const ScoredPair& score);
// {"record": person view, "score": ...}
void WriteMatchCandidate(JsonWriter& json, const MatchCandidate& candidate, bool pii);
// The body of a match response for one query (also one element of a batch response).
void WriteMatchResult(JsonWriter& json, const MatchResult& result, bool pii);

}  // namespace padan
