#include "data/generator/serial_registry.h"

#include "data/date.h"

namespace padan::gen {
namespace {

// NIK day field for women: day + 40 (Dukcapil).
constexpr int kFemaleDayOffset = 40;

uint64_t DdMmYy(int32_t days, int day_offset) {
  int y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  return static_cast<uint64_t>((d + day_offset) * 10000 + m * 100 + y % 100);
}

}  // namespace

uint64_t NikPrefix(KodeWilayah kecamatan, int32_t birth_days, bool female) {
  return kecamatan * 1'000'000 + DdMmYy(birth_days, female ? kFemaleDayOffset : 0);
}

uint64_t NoKkPrefix(KodeWilayah kecamatan, int32_t issue_days) {
  return kecamatan * 1'000'000 + DdMmYy(issue_days, 0);
}

uint64_t SerialRegistry::Next(uint64_t prefix) {
  uint16_t& last = next_[prefix];
  if (last >= kMaxSerial) return 0;
  ++last;
  return prefix * 10'000 + last;
}

}  // namespace padan::gen
