// libFuzzer target for the HTTP API's request-body parsers (server/request_json.h): any bytes,
// as a match query, a match batch, a household body (both id rules) and an NDJSON ingest line,
// must give a value or an error naming a field — never a crash, a hang or an out-of-bounds read.
//
// Not built by CMake (it needs clang). Build against the libraries of a Release build (the
// target and request_json.cc are instrumented; the padan libraries need not be), from the
// repository root:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I. \
//     tests/fuzz/request_json_fuzz.cc server/request_json.cc -o request_json_fuzz \
//     build/libpadan_index.a build/libpadan_matching.a build/libpadan_data.a \
//     $(pkg-config --libs re2) -lsimdjson -lutf8proc \
//     $(ls /usr/lib/x86_64-linux-gnu/libabsl_*.so | sed 's|.*/lib\(.*\)\.so|-l\1|')
//   mkdir -p /tmp/request_json_corpus && ./request_json_fuzz -max_len=2048 /tmp/request_json_corpus

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "data/field_error.h"
#include "data/region_table.h"
#include "server/request_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const padan::RegionTable* regions = padan::RegionTable::LoadEmbedded()->release();
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto check = [](const auto& result) {
    // An error from a body parser is always kInvalidArgument and names what was wrong.
    if (!result.ok() && (result.status().code() != absl::StatusCode::kInvalidArgument ||
                         !padan::FieldOf(result.status()).has_value())) {
      __builtin_trap();
    }
  };
  check(padan::ParseMatchRequest(body));
  check(padan::ParseMatchBatch(body, 1000));
  check(padan::ParseHouseholdBody(body, padan::IdRule::kRequired, *regions));
  check(padan::ParseHouseholdBody(body, padan::IdRule::kOptional, *regions));
  check(padan::ParseIngestLine(body, *regions));
  return 0;
}
