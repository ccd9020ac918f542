// Benchmark of rendering registry records as the v1 API's JSON: the body of a NIK lookup (one
// exact hit and two near ones, each a person with its household), which GET /v1/nik/{nik}
// writes about 20,000 times a second per core.
//
// Smoke run (CTest): --benchmark_filter=/smoke --benchmark_min_time=0.001

#include <string>
#include <vector>

#include "benchmark/benchmark.h"

#include "data/json_writer.h"
#include "server/record_json.h"

namespace padan {
namespace {

// A person as the registry holds one: ids of 16-17 digits, names of 10-20 letters, some empty
// fields, as a NIK lookup's hits look.
PersonView SamplePerson(int i) {
  PersonView view;
  Person& p = view.person;
  p.id_art = "3322724097764152" + std::to_string(i % 10);
  p.id_keluarga = "3322203830102635";
  p.nik = "332203480209000" + std::to_string(i % 10);
  p.nik_value = 3322034802090001;
  p.nama = i % 2 == 0 ? "FATIMAH PUSPITA" : "PANCA KORI AMELIA";
  p.jenis_kelamin = Sex::kPerempuan;
  p.tempat_lahir = "SEMARANG";
  p.tanggal_lahir = Date::FromYmd(2009, 2, 8);
  p.hubungan = Hubungan::kIstriSuami;
  p.nama_ibu_kandung = "BILQIS WULANDARI";
  p.status_kawin = StatusKawin::kKawin;
  p.pekerjaan = "Pelajar/Mahasiswa";
  Household& h = view.household;
  h.id_keluarga = p.id_keluarga;
  h.no_kk = "3322130805250001";
  h.no_kk_value = 3322130805250001;
  h.alamat = "GG DIPONEGORO NO 75";
  h.rt = "014";
  h.rw = "009";
  h.kode_wilayah = 3322131002;
  return view;
}

// Arg: the number of persons per response (3: a typical NIK lookup; 1: smoke).
void BM_WritePersonViews(benchmark::State& state) {
  std::vector<PersonView> views;
  for (int i = 0; i < state.range(0); ++i) views.push_back(SamplePerson(i));
  size_t bytes = 0;
  for (auto _ : state) {
    JsonWriter json;
    json.BeginObject().Key("exact").BeginArray();
    for (const PersonView& view : views) WritePersonView(json, view, /*pii=*/true);
    json.EndArray().EndObject();
    std::string body = json.Release();
    bytes += body.size();
    benchmark::DoNotOptimize(body.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_WritePersonViews)->Arg(3);
BENCHMARK(BM_WritePersonViews)->Name("BM_WritePersonViews/smoke")->Arg(1);

}  // namespace
}  // namespace padan

BENCHMARK_MAIN();
