#include "data/generator/address_generator.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

#include "data/absl_strings.h"

namespace padan::gen {
namespace {

// Street, estate and hamlet names are the common Indonesian patterns (flowers, fruit, birds,
// national heroes; Javanese and Sundanese place-name compounds), from the editor's knowledge.
constexpr std::array<std::string_view, 64> kStreets = {
    "Melati",
    "Mawar",
    "Kenanga",
    "Anggrek",
    "Cempaka",
    "Dahlia",
    "Flamboyan",
    "Kamboja",
    "Teratai",
    "Nusa Indah",
    "Seroja",
    "Bougenville",
    "Sudirman",
    "Diponegoro",
    "Ahmad Yani",
    "Gatot Subroto",
    "Pahlawan",
    "Merdeka",
    "Kartini",
    "Imam Bonjol",
    "Hasanuddin",
    "Pattimura",
    "Sisingamangaraja",
    "Gajah Mada",
    "Hayam Wuruk",
    "Veteran",
    "Pemuda",
    "Proklamasi",
    "Raya",
    "Pendidikan",
    "Masjid",
    "Pasar",
    "Kebon",
    "Sawah",
    "Cendrawasih",
    "Rajawali",
    "Kutilang",
    "Merpati",
    "Elang",
    "Manggis",
    "Rambutan",
    "Durian",
    "Mangga",
    "Kelapa",
    "Nangka",
    "Jambu",
    "Salak",
    "Sukun",
    "Pramuka",
    "Bhayangkara",
    "Sejahtera",
    "Damai",
    "Bahagia",
    "Makmur",
    "Kenari",
    "Beringin",
    "Cemara",
    "Asem",
    "Lestari",
    "Swadaya",
    "Harapan",
    "Gotong Royong",
    "Perintis",
    "Lingkar",
};

constexpr std::array<std::string_view, 24> kEstates = {
    "Griya Asri",    "Bumi Indah",    "Taman Sari",    "Villa Mutiara",  "Puri Indah",
    "Graha Permai",  "Pondok Hijau",  "Griya Permata", "Bumi Sejahtera", "Taman Asri",
    "Citra Indah",   "Griya Harapan", "Permata Hijau", "Bumi Mas",       "Grand Residence",
    "Griya Lestari", "Puri Asri",     "Taman Kenari",  "Bukit Indah",    "Nusa Permai",
    "Griya Kencana", "Taman Cemara",  "Pesona Alam",   "Graha Indah",
};

constexpr std::array<std::string_view, 40> kJavaneseHamlets = {
    "Krajan",     "Kidul",      "Lor",          "Wetan",     "Kulon",     "Tengah",
    "Ngemplak",   "Sumberejo",  "Karangrejo",   "Sidomulyo", "Mulyorejo", "Tegalsari",
    "Sukorejo",   "Ngrandu",    "Karanganyar",  "Gondang",   "Pucung",    "Jetis",
    "Kauman",     "Dukuh",      "Bendungan",    "Ngasem",    "Sendang",   "Banaran",
    "Kedungsari", "Sumbersari", "Tanjungsari",  "Purwosari", "Wonosari",  "Margorejo",
    "Kebonagung", "Plosorejo",  "Randugunting", "Rejosari",  "Sidorejo",  "Tambakrejo",
    "Ngadirejo",  "Sukomulyo",  "Gedangan",     "Jatisari",
};

constexpr std::array<std::string_view, 32> kSundaneseKampung = {
    "Sukamaju",    "Sukamulya",   "Sukasari",   "Cibeureum",   "Cikaret",    "Babakan",
    "Pasir Angin", "Cimanggu",    "Cijeruk",    "Sindangsari", "Cikoneng",   "Pasirjaya",
    "Bojong",      "Cibodas",     "Cisalak",    "Sukajadi",    "Leuwiliang", "Cipanas",
    "Sukaresmi",   "Margamulya",  "Cicadas",    "Neglasari",   "Pamoyanan",  "Cilimus",
    "Cikadu",      "Sindanglaya", "Karangsari", "Sukahurip",   "Cigadung",   "Tegalega",
    "Rancabali",   "Ciherang",
};

constexpr std::array<std::string_view, 12> kBalineseBanjar = {
    "Kaja",        "Kelod", "Tengah", "Kangin", "Kauh",  "Dangin Peken",
    "Delod Peken", "Anyar", "Kawan",  "Pande",  "Sakah", "Tegal",
};

constexpr std::array<std::string_view, 12> kRoman = {"I",   "II",   "III", "IV", "V",  "VI",
                                                     "VII", "VIII", "IX",  "X",  "XI", "XII"};

// Places named by number ("Dusun III", "Lingkungan IV") use `place` as the number.
bool NumberedPlace(NameCustom custom) {
  switch (custom) {
    case NameCustom::kBatak:
    case NameCustom::kIslam:
    case NameCustom::kTionghoa:
    case NameCustom::kKristen:
    case NameCustom::kMinahasa:
    case NameCustom::kNusaTenggara:
    case NameCustom::kMaluku:
    case NameCustom::kPapua:
      return true;
    default:
      return false;
  }
}

std::string Upper(std::string s) {
  absl::AsciiStrToUpper(&s);
  return s;
}

std::string_view Hamlet(const Address& a) {
  if (a.kind == AddressKind::kKampung) return kSundaneseKampung[a.place % kSundaneseKampung.size()];
  if (a.kind == AddressKind::kBanjar) return kBalineseBanjar[a.place % kBalineseBanjar.size()];
  return kJavaneseHamlets[a.place % kJavaneseHamlets.size()];
}

}  // namespace

Address AddressGenerator::Generate(NameCustom custom, bool kelurahan, bool kota, Rng& rng) {
  Address a;
  a.rt = static_cast<uint8_t>(rng.UniformInt(1, kelurahan ? 15 : 8));
  a.rw = static_cast<uint8_t>(rng.UniformInt(1, kelurahan ? 12 : 5));
  a.street = static_cast<uint16_t>(rng.Uniform(kStreets.size()));
  a.number = static_cast<uint16_t>(rng.UniformInt(1, kelurahan ? 150 : 60));
  const bool numbered = NumberedPlace(custom);
  if (kelurahan || kota) {
    double r = rng.UniformDouble();
    if (r < 0.5) {
      a.kind = AddressKind::kJalan;
    } else if (r < 0.8) {
      a.kind = AddressKind::kGang;
      a.gang = rng.Bernoulli(0.6) ? static_cast<uint8_t>(rng.UniformInt(1, 9)) : 0;
    } else if (r < 0.92) {
      a.kind = AddressKind::kPerumahan;
      a.street = static_cast<uint16_t>(rng.Uniform(kEstates.size()));
      a.block = static_cast<char>('A' + rng.Uniform(8));
      a.block_number = static_cast<uint8_t>(rng.UniformInt(1, 12));
      a.number = static_cast<uint16_t>(rng.UniformInt(1, 30));
    } else if (custom == NameCustom::kBali) {
      a.kind = AddressKind::kBanjar;
      a.place = static_cast<uint16_t>(rng.Uniform(kBalineseBanjar.size()));
      a.has_dusun = true;
    } else {
      a.kind = AddressKind::kLingkungan;
      a.place = static_cast<uint16_t>(rng.UniformInt(1, 9));
      a.has_dusun = true;
    }
    return a;
  }
  // Rural desa: the dusun carries most of the address.
  a.has_dusun = true;
  switch (custom) {
    case NameCustom::kSunda:
      a.kind = rng.Bernoulli(0.75) ? AddressKind::kKampung : AddressKind::kJalan;
      a.place = static_cast<uint16_t>(rng.Uniform(kSundaneseKampung.size()));
      break;
    case NameCustom::kBali:
      a.kind = rng.Bernoulli(0.7) ? AddressKind::kBanjar : AddressKind::kJalan;
      a.place = static_cast<uint16_t>(rng.Uniform(kBalineseBanjar.size()));
      break;
    default:
      a.kind = rng.Bernoulli(0.6) ? AddressKind::kDusun : AddressKind::kJalan;
      a.place = numbered ? static_cast<uint16_t>(rng.UniformInt(1, 8))
                         : static_cast<uint16_t>(rng.Uniform(kJavaneseHamlets.size()));
      // Numbered dusun are written as roman numerals; flag them with a high bit.
      if (numbered) a.place |= 0x8000;
      break;
  }
  return a;
}

std::string AddressGenerator::RenderDusun(const Address& a, int style) {
  if (!a.has_dusun) return "";
  std::string out;
  if (a.kind == AddressKind::kLingkungan) {
    out = StrCat(style == 1 ? "Lingk. " : "Lingkungan ", kRoman[(a.place - 1) % kRoman.size()]);
  } else if ((a.place & 0x8000) != 0) {
    out = StrCat(style == 2 ? "Dsn. " : "Dusun ", kRoman[((a.place & 0x7FFF) - 1) % kRoman.size()]);
  } else if (a.kind == AddressKind::kBanjar) {
    out = StrCat(style == 3 ? "Br. " : "Banjar ", Hamlet(a));
  } else {
    out = std::string(Hamlet(a));
  }
  return style == 1 ? Upper(std::move(out)) : out;
}

std::string AddressGenerator::RenderAlamat(const Address& a, int style) {
  std::string_view street = a.kind == AddressKind::kPerumahan
                                ? kEstates[a.street % kEstates.size()]
                                : kStreets[a.street % kStreets.size()];
  std::string out;
  switch (a.kind) {
    case AddressKind::kJalan:
      switch (style) {
        case 0:
          out = absl::StrFormat("Jl. %s No. %d", street, a.number);
          break;
        case 1:
          out = absl::StrFormat("JL %s NO %d", street, a.number);
          break;
        case 2:
          out = absl::StrFormat("Jalan %s No.%d", street, a.number);
          break;
        default:
          out = absl::StrFormat("Jl.%s %d", street, a.number);
          break;
      }
      break;
    case AddressKind::kGang: {
      std::string gang = a.gang == 0 ? "" : StrCat(" ", kRoman[(a.gang - 1) % kRoman.size()]);
      switch (style) {
        case 0:
          out = absl::StrFormat("Gg. %s%s No. %d", street, gang, a.number);
          break;
        case 1:
          out = absl::StrFormat("GG %s%s NO %d", street, gang, a.number);
          break;
        case 2:
          out = a.gang == 0 ? absl::StrFormat("Gang %s No %d", street, a.number)
                            : absl::StrFormat("Gang %s %d No %d", street, a.gang, a.number);
          break;
        default:
          out = absl::StrFormat("Gg.%s%s/%d", street, gang, a.number);
          break;
      }
      break;
    }
    case AddressKind::kPerumahan:
      switch (style) {
        case 0:
          out = absl::StrFormat("Perum %s Blok %c%d No. %d", street, a.block, a.block_number,
                                a.number);
          break;
        case 1:
          out = absl::StrFormat("PERUM %s BLOK %c%d NO %d", street, a.block, a.block_number,
                                a.number);
          break;
        case 2:
          out = absl::StrFormat("Perumahan %s Blok %c-%d/%d", street, a.block, a.block_number,
                                a.number);
          break;
        default:
          out = absl::StrFormat("Perum. %s %c%d/%d", street, a.block, a.block_number, a.number);
          break;
      }
      break;
    case AddressKind::kKampung:
      switch (style) {
        case 0:
          out = StrCat("Kp. ", Hamlet(a));
          break;
        case 1:
          out = StrCat("KP ", Hamlet(a));
          break;
        case 2:
          out = StrCat("Kampung ", Hamlet(a));
          break;
        default:
          out = StrCat("Kmp. ", Hamlet(a));
          break;
      }
      break;
    case AddressKind::kDusun:
    case AddressKind::kBanjar:
    case AddressKind::kLingkungan:
      out = RenderDusun(a, style);
      if (style == 2) out = StrCat(out, " RT ", RenderRtRw(a.rt), " RW ", RenderRtRw(a.rw));
      break;
  }
  return style == 1 ? Upper(std::move(out)) : out;
}

std::string AddressGenerator::RenderRtRw(uint8_t value) {
  return std::string{static_cast<char>('0' + value / 100), static_cast<char>('0' + value / 10 % 10),
                     static_cast<char>('0' + value % 10)};
}

}  // namespace padan::gen
