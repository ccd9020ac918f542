// TextDocument: what the full-text index (index/text_index.h) is told about one person, as the
// registry fills it from the record store: the raw text of the searchable fields, one per ART.
#pragma once

#include <string>

#include "data/region_table.h"

namespace padan {

// One person as the text index sees it. Plain value type; the raw field text is normalised by
// TextAnalyzer (index/text_terms.h), so the registry passes what it stores, unchanged. Nothing
// here is displayed: a search returns id_art only and the engine reads the record from the store.
struct TextDocument {
  // The ART's external id; the document's key (unique: indexing the same id_art again replaces
  // the person's document). Not empty, at most TextAnalyzer::kMaxIdBytes bytes.
  std::string id_art;
  std::string nama;              // as registered, titles and all
  std::string nama_ibu_kandung;  // mother's name, as registered
  std::string tempat_lahir;      // birthplace, as registered
  std::string alamat;            // the household's address line
  std::string dusun;             // the household's dusun
  // NIK and No KK as digits (16 when valid; a shorter or longer run is indexed as it is) or
  // empty. Text with any other character (spreadsheet damage such as "3.2E+15") is not indexed.
  std::string nik;
  std::string no_kk;
  KodeWilayah kode_wilayah = 0;  // 10-digit desa code, or a shorter prefix; 0 when unknown
  int birth_year = 0;            // year of tanggal_lahir; 0 when unknown
};

}  // namespace padan
