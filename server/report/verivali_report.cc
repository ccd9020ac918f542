#include "server/report/verivali_report.h"

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/csv_writer.h"
#include "data/html_escape.h"
#include "data/status_macros.h"

namespace padan {
namespace {

// Rows beyond these are left to the summary CSV files: a printed report stays readable.
constexpr size_t kMaxKecamatanRows = 300;
constexpr size_t kMaxDesaRows = 100;
// A region needs this many listed persons before its shares rank it among those to check.
constexpr int64_t kMinPersonsToRank = 10;

// One colour per outcome, in kAllVerivaliOutcomes order; distinct in greyscale print too.
constexpr std::array<std::string_view, kVerivaliOutcomeCount> kColours = {
    "#2e7d32", "#9ccc65", "#1e88e5", "#616161", "#e53935", "#fb8c00", "#8e24aa"};

std::string_view Colour(VerivaliOutcome o) { return kColours[static_cast<size_t>(o)]; }

// 1234567 → "1.234.567", as Indonesian texts write numbers.
std::string Number(int64_t n) {
  std::string digits = StrCat(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back('.');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

// 12.3456 → "12,3 %".
std::string Share(int64_t part, int64_t whole) {
  if (whole == 0) return "–";
  std::string text = absl::StrFormat("%.1f", 100.0 * static_cast<double>(part) / whole);
  std::replace(text.begin(), text.end(), '.', ',');
  return text + "&nbsp;%";
}

std::string_view Explanation(VerivaliOutcome o) {
  switch (o) {
    case VerivaliOutcome::kDitemukan:
      return "Ditemukan di alamat dan desa yang sama, data sesuai dengan pre-list.";
    case VerivaliOutcome::kDitemukanBerubah:
      return "Ditemukan, tetapi ada data yang diperbaiki petugas (nama, NIK, tanggal lahir, "
             "jenis kelamin, hubungan, status kawin).";
    case VerivaliOutcome::kPindah:
      return "Ditemukan di desa lain dalam kecamatan atau kabupaten/kota yang sama, atau "
             "dilaporkan keluarga telah pindah.";
    case VerivaliOutcome::kMeninggal:
      return "Dilaporkan keluarga telah meninggal dunia.";
    case VerivaliOutcome::kTidakDitemukan:
      return "Tidak ditemukan di lapangan.";
    case VerivaliOutcome::kGanda:
      return "Tercatat lebih dari sekali dalam pre-list; orang yang sama sudah tercatat di "
             "rekaman lain.";
    case VerivaliOutcome::kBaru:
      return "Ditemukan di lapangan tetapi tidak ada dalam pre-list (kelahiran, anggota baru, "
             "keluarga baru).";
  }
  return "";
}

std::string_view FieldLabel(std::string_view field) {
  if (field == "nama") return "Nama";
  if (field == "nik") return "NIK";
  if (field == "tanggal_lahir") return "Tanggal lahir";
  if (field == "jenis_kelamin") return "Jenis kelamin";
  if (field == "hubungan") return "Hubungan dengan kepala keluarga";
  if (field == "status_kawin") return "Status perkawinan";
  return field;
}

// Horizontal bars, one per outcome, of persons (or households) in total.
std::string OutcomeBarsSvg(const OutcomeCounts& counts, bool persons) {
  constexpr int kWidth = 720, kRow = 28, kLabel = 170, kBarMax = 420;
  const int height = static_cast<int>(kVerivaliOutcomeCount) * kRow + 10;
  int64_t max = 1;
  for (VerivaliOutcome o : kAllVerivaliOutcomes) {
    max = std::max(max, persons ? counts.person(o) : counts.household(o));
  }
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" "
      "font-size=\"13\" font-family=\"sans-serif\">\n",
      kWidth, height);
  int y = 5;
  for (VerivaliOutcome o : kAllVerivaliOutcomes) {
    const int64_t n = persons ? counts.person(o) : counts.household(o);
    const int bar = static_cast<int>(static_cast<double>(n) / static_cast<double>(max) * kBarMax);
    absl::StrAppendFormat(&svg,
                          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                          "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                          "<text x=\"%d\" y=\"%d\">%s</text>\n",
                          kLabel - 8, y + 17, ToAbsl(VerivaliOutcomeLabel(o)), kLabel, y + 3,
                          std::max(bar, 1), kRow - 8, ToAbsl(Colour(o)), kLabel + bar + 6, y + 17,
                          Number(n));
    y += kRow;
  }
  svg += "</svg>\n";
  return svg;
}

// One 100 % stacked bar per region: the share of each outcome among its listed persons and
// baru records.
std::string StackedRegionsSvg(const std::vector<RegionCounts>& rows) {
  constexpr int kWidth = 720, kRow = 22, kLabel = 230, kBar = 470;
  const int height = static_cast<int>(rows.size()) * kRow + 40;
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" "
      "font-size=\"12\" font-family=\"sans-serif\">\n",
      kWidth, height);
  int y = 4;
  for (const RegionCounts& r : rows) {
    int64_t total = 0;
    for (int64_t n : r.counts.persons) total += n;
    std::string name = r.nama.empty() ? StrCat(r.code) : r.nama;
    if (name.size() > 34) name = name.substr(0, 32) + "…";
    absl::StrAppendFormat(&svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", kLabel - 8,
                          y + 14, HtmlEscape(name));
    double x = kLabel;
    for (VerivaliOutcome o : kAllVerivaliOutcomes) {
      if (total == 0) break;
      const double w = static_cast<double>(r.counts.person(o)) / static_cast<double>(total) * kBar;
      if (w <= 0) continue;
      absl::StrAppendFormat(&svg,
                            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                            x, y + 2, w, kRow - 6, ToAbsl(Colour(o)));
      x += w;
    }
    svg += "\n";
    y += kRow;
  }
  // Legend.
  int x = 10;
  for (VerivaliOutcome o : kAllVerivaliOutcomes) {
    absl::StrAppendFormat(&svg,
                          "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                          "<text x=\"%d\" y=\"%d\">%s</text>",
                          x, y + 12, ToAbsl(Colour(o)), x + 16, y + 22,
                          ToAbsl(VerivaliOutcomeLabel(o)));
    x += 100;
  }
  svg += "\n</svg>\n";
  return svg;
}

void RegionCountsTable(std::string_view level, const std::vector<RegionCounts>& rows,
                       std::string* html) {
  absl::StrAppendFormat(html,
                        "<table class=\"num\"><thead><tr><th>Kode</th><th>%s</th>"
                        "<th>ART pre-list</th>",
                        ToAbsl(level));
  for (VerivaliOutcome o : kAllVerivaliOutcomes) {
    absl::StrAppendFormat(html, "<th>%s</th>", ToAbsl(VerivaliOutcomeLabel(o)));
  }
  *html += "<th>Ditemukan (semua bentuk)</th></tr></thead><tbody>\n";
  for (const RegionCounts& r : rows) {
    const int64_t listed = r.counts.listed_persons();
    const int64_t found = r.counts.person(VerivaliOutcome::kDitemukan) +
                          r.counts.person(VerivaliOutcome::kDitemukanBerubah) +
                          r.counts.person(VerivaliOutcome::kPindah) +
                          r.counts.person(VerivaliOutcome::kMeninggal);
    absl::StrAppendFormat(html, "<tr><td>%s</td><td class=\"t\">%s</td><td>%s</td>",
                          r.code == 0 ? "–" : StrCat(r.code),
                          HtmlEscape(r.nama.empty() ? "(tidak diketahui)" : r.nama),
                          Number(listed));
    for (VerivaliOutcome o : kAllVerivaliOutcomes) {
      absl::StrAppendFormat(html, "<td>%s</td>", Number(r.counts.person(o)));
    }
    absl::StrAppendFormat(html, "<td>%s</td></tr>\n", Share(found, listed));
  }
  *html += "</tbody></table>\n";
}

// The regions to check first: the highest share of listed persons not found or listed twice.
std::vector<RegionCounts> NeedingAttention(const std::vector<RegionCounts>& rows, size_t limit) {
  std::vector<RegionCounts> out;
  for (const RegionCounts& r : rows) {
    if (r.counts.listed_persons() >= kMinPersonsToRank) out.push_back(r);
  }
  auto problem_share = [](const RegionCounts& r) {
    return static_cast<double>(r.counts.person(VerivaliOutcome::kTidakDitemukan) +
                               r.counts.person(VerivaliOutcome::kGanda)) /
           static_cast<double>(r.counts.listed_persons());
  };
  std::stable_sort(out.begin(), out.end(), [&](const RegionCounts& a, const RegionCounts& b) {
    return problem_share(a) > problem_share(b);
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace

std::string VerivaliReportHtml(const VerivaliSummary& s) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>Laporan Verivali DTKS</title><style>\n"
      "body{font-family:'Segoe UI',Arial,sans-serif;margin:2em auto;max-width:1100px;"
      "color:#222;line-height:1.4;padding:0 1em}\n"
      "h1{font-size:1.6em;border-bottom:3px solid #1e88e5;padding-bottom:.3em}\n"
      "h2{font-size:1.25em;margin-top:1.8em;color:#0d47a1}\n"
      "table{border-collapse:collapse;margin:.6em 0;font-size:.9em}\n"
      "td,th{border:1px solid #bbb;padding:3px 8px}th{background:#e3f2fd;text-align:center}\n"
      "table.num td{text-align:right}table.num td.t{text-align:left}\n"
      ".swatch{display:inline-block;width:.9em;height:.9em;margin-right:.4em;"
      "vertical-align:middle}\n"
      ".note{color:#555;font-size:.9em}\n"
      "@media print{body{margin:0;max-width:none;font-size:10pt}h2{page-break-after:avoid}"
      "table,svg{page-break-inside:avoid}tr{page-break-inside:avoid}}\n"
      "</style></head><body>\n"
      "<h1>Laporan Hasil Verifikasi dan Validasi (Verivali) DTKS</h1>\n";
  absl::StrAppendFormat(
      &html,
      "<table><tr><th>Berkas pre-list</th><td>%s</td></tr>"
      "<tr><th>Berkas hasil lapangan</th><td>%s</td></tr>"
      "<tr><th>Pre-list</th><td>%s ART dalam %s keluarga</td></tr>"
      "<tr><th>Hasil lapangan</th><td>%s ART dalam %s keluarga</td></tr>"
      "<tr><th>Kabupaten/kota</th><td>%s</td></tr>"
      "<tr><th>Kecamatan</th><td>%s</td></tr><tr><th>Desa/kelurahan</th><td>%s</td></tr>"
      "</table>\n",
      HtmlEscape(s.prelist_path), HtmlEscape(s.field_path), Number(s.prelist_persons),
      Number(s.prelist_households), Number(s.field_persons), Number(s.field_households),
      Number(static_cast<int64_t>(s.kab_kota.size())),
      Number(static_cast<int64_t>(s.kecamatan.size())),
      Number(static_cast<int64_t>(s.desa.size())));

  html +=
      "<h2>1. Ringkasan hasil</h2>\n<table class=\"num\"><thead><tr><th>Hasil</th>"
      "<th>Jumlah ART</th><th>% ART</th><th>Jumlah keluarga</th><th>% keluarga</th>"
      "<th>Keterangan</th></tr></thead><tbody>\n";
  const int64_t listed = s.total.listed_persons();
  const int64_t listed_households = s.total.listed_households();
  for (VerivaliOutcome o : kAllVerivaliOutcomes) {
    const bool baru = o == VerivaliOutcome::kBaru;
    absl::StrAppendFormat(
        &html,
        "<tr><td class=\"t\"><span class=\"swatch\" style=\"background:%s\"></span>%s</td>"
        "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"t\">%s</td></tr>\n",
        ToAbsl(Colour(o)), ToAbsl(VerivaliOutcomeLabel(o)), Number(s.total.person(o)),
        baru ? "–" : Share(s.total.person(o), listed), Number(s.total.household(o)),
        baru ? "–" : Share(s.total.household(o), listed_households), ToAbsl(Explanation(o)));
  }
  absl::StrAppendFormat(&html,
                        "<tr><th>Jumlah pre-list</th><th>%s</th><th>100&nbsp;%%</th><th>%s</th>"
                        "<th>100&nbsp;%%</th><th></th></tr></tbody></table>\n",
                        Number(listed), Number(listed_households));
  html +=
      "<p class=\"note\">Persentase dihitung terhadap jumlah ART/keluarga dalam pre-list. "
      "Baru dihitung dari hasil lapangan (ART dan keluarga yang tidak ada dalam "
      "pre-list).</p>\n";
  html += "<h2>2. Hasil per ART</h2>\n" + OutcomeBarsSvg(s.total, /*persons=*/true);
  html += "<h2>3. Hasil per keluarga</h2>\n" + OutcomeBarsSvg(s.total, /*persons=*/false);

  html += "<h2>4. Data yang diperbaiki petugas</h2>\n";
  if (s.changed_fields.empty()) {
    html += "<p>Tidak ada data yang diperbaiki.</p>\n";
  } else {
    html +=
        "<table class=\"num\"><thead><tr><th>Isian</th><th>Jumlah ART</th></tr></thead>"
        "<tbody>\n";
    for (const auto& [field, n] : s.changed_fields) {
      absl::StrAppendFormat(&html, "<tr><td class=\"t\">%s</td><td>%s</td></tr>\n",
                            HtmlEscape(FieldLabel(field)), Number(n));
    }
    html +=
        "</tbody></table>\n<p class=\"note\">Rincian nilai lama → baru per ART ada di "
        "berkas persons.csv (kolom <code>changes</code>).</p>\n";
  }

  html += "<h2>5. Per kabupaten/kota</h2>\n" + StackedRegionsSvg(s.kab_kota);
  RegionCountsTable("Kabupaten/kota", s.kab_kota, &html);

  html += "<h2>6. Per kecamatan</h2>\n";
  if (s.kecamatan.size() > kMaxKecamatanRows) {
    absl::StrAppendFormat(&html,
                          "<p class=\"note\">%d kecamatan dengan bagian ART tidak ditemukan atau "
                          "ganda terbesar; semua kecamatan ada di berkas "
                          "summary_kecamatan.csv.</p>\n",
                          kMaxKecamatanRows);
    RegionCountsTable("Kecamatan", NeedingAttention(s.kecamatan, kMaxKecamatanRows), &html);
  } else {
    RegionCountsTable("Kecamatan", s.kecamatan, &html);
  }

  html += "<h2>7. Desa/kelurahan yang perlu diperiksa</h2>\n";
  absl::StrAppendFormat(&html,
                        "<p class=\"note\">Paling banyak %d desa/kelurahan (minimal %d ART "
                        "pre-list) dengan bagian ART tidak ditemukan atau ganda terbesar; semua "
                        "desa/kelurahan ada di berkas summary_desa.csv.</p>\n",
                        kMaxDesaRows, kMinPersonsToRank);
  RegionCountsTable("Desa/kelurahan", NeedingAttention(s.desa, kMaxDesaRows), &html);

  html +=
      "<h2>8. Cara kerja</h2>\n<p>Setiap ART hasil lapangan dipasangkan dengan paling banyak "
      "satu ART pre-list, dan sebaliknya. Pertama keluarga dipasangkan dengan keluarga (di "
      "desa yang sama, lalu di kecamatan, lalu di kabupaten/kota), kemudian anggotanya; ART "
      "yang tersisa dipasangkan di desa yang sama, lalu di kecamatan dan kabupaten/kota yang "
      "sama untuk yang pindah. Kemiripan dinilai dengan model Fellegi-Sunter atas NIK, nama, "
      "tanggal lahir, jenis kelamin, wilayah, No KK dan alamat; pasangan dengan bobot di "
      "bawah ambang tidak dipakai. Perbedaan penulisan (huruf besar/kecil, tanda baca, gelar, "
      "format tanggal dan kode) tidak dihitung sebagai perubahan.</p>\n";
  absl::StrAppendFormat(&html,
                        "<p class=\"note\">Model %s, ambang bobot %.2f; %s pasangan kandidat "
                        "dinilai, %s di atas ambang; waktu proses %.1f detik.</p>\n",
                        HtmlEscape(s.model_version), s.match_threshold, Number(s.candidate_pairs),
                        Number(s.matched_pairs), s.seconds);
  html += "<p class=\"note\">Dibuat oleh padan verivali.</p>\n</body></html>\n";
  return html;
}

absl::Status WriteVerivaliReport(const VerivaliSummary& summary, const std::string& path) {
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<CsvWriter> out, CsvWriter::Open(path));
  PADAN_RETURN_IF_ERROR(out->RawLine(VerivaliReportHtml(summary)));
  return out->Close();
}

}  // namespace padan
