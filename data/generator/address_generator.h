// AddressGenerator: household addresses as DTKS holds them ("Jl. Melati No. 12", "Kp. Sukamaju",
// "Dusun Krajan", "Perum Griya Asri Blok C2 No. 5") with dusun and RT/RW, in the forms of each
// region, and re-typed the way another officer would write the same place.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "data/generator/name_custom_table.h"
#include "data/generator/random.h"

namespace padan::gen {

enum class AddressKind : uint8_t {
  kJalan,       // Jl. Melati No. 12
  kGang,        // Gg. Mawar II No. 3
  kKampung,     // Kp. Sukamaju (Sundanese and Betawi areas)
  kDusun,       // Dusun Krajan (rural Java, Sumatra)
  kPerumahan,   // Perum Griya Asri Blok C2 No. 5
  kBanjar,      // Br. Kaja (Bali)
  kLingkungan,  // Lingkungan III (kelurahan of Sumatra, Sulawesi, Bali)
};

// An address as parts, so that a duplicate registration can write the same place differently.
// Value type.
struct Address {
  AddressKind kind = AddressKind::kJalan;
  uint16_t street = 0;  // street or housing-estate name index
  uint16_t place = 0;   // kampung / dusun / banjar name index
  uint16_t number = 0;  // house number; 0 when none
  uint8_t gang = 0;     // gang number (roman numeral); 0 when none
  char block = 'A';     // housing-estate block letter
  uint8_t block_number = 0;
  uint8_t rt = 1;
  uint8_t rw = 1;
  bool has_dusun = false;  // the Dusun column holds `place`
};

// Stateless; thread-safe.
class AddressGenerator {
 public:
  // Number of writing styles Render() knows; a duplicate picks another.
  static constexpr int kStyles = 4;

  // An address for a household of `custom` in a kelurahan (urban) or desa (rural).
  static Address Generate(NameCustom custom, bool kelurahan, bool kota, Rng& rng);
  // The Alamat column in writing style `style` (0..kStyles-1).
  static std::string RenderAlamat(const Address& address, int style);
  // The Dusun column: "Krajan", "Dusun II", "Banjar Kaja"; empty when the address has none.
  static std::string RenderDusun(const Address& address, int style);
  // "001".
  static std::string RenderRtRw(uint8_t value);
};

}  // namespace padan::gen
