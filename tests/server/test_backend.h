// TestBackend: a ServingBackend over an in-memory Database with a few hand-made households in
// two kab/kota (3201 Kab. Bogor, 3171 Jakarta Selatan), a hand-set model and no text index, for
// the server tests. Header-only: the test targets compile only *_test.cc files.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

#include "data/nik.h"
#include "index/database.h"
#include "index/query_engine.h"
#include "index/registry.h"
#include "matching/address_normalizer.h"
#include "matching/comparison_spec.h"
#include "matching/name_normalizer.h"
#include "server/serving_backend.h"
#include "tests/test_records.h"
#include "tests/test_util.h"

namespace padan::testing {

class TestBackend : public ServingBackend {
 public:
  TestBackend() {
    // The reference tables are loaded once per test binary: they are immutable.
    static const NameNormalizer* names = NameNormalizer::LoadEmbedded()->release();
    static const AddressNormalizer* addresses = AddressNormalizer::LoadEmbedded()->release();
    static const RegionTable* regions = RegionTable::LoadEmbedded()->release();
    names_ = names;
    addresses_ = addresses;
    regions_ = regions;
    DatabaseOptions options;
    options.dir = MakeTempDir();
    options.background_snapshots = false;
    auto registry = std::make_unique<Registry>(*names_, *addresses_);
    EXPECT_TRUE(registry->FinishBulkLoad().ok());
    database_ = *Database::Open(options, std::move(registry));
    model_ = std::make_unique<FellegiSunterModel>(MakeTestModel());
    engine_ = std::make_unique<QueryEngine>(*database_, *model_, *regions_);
    std::vector<Mutation> writes = {
        MakeUpsert("K1", "3201011203150007", 3201011001,
                   {MakeTestPerson("P1", "Budi Santoso", "1980-05-17", Sex::kLakiLaki,
                                   "3201011705800003", Hubungan::kKepalaKeluarga, "Sumarni"),
                    MakeTestPerson("P2", "Siti Aminah", "1985-08-14", Sex::kPerempuan,
                                   "3201015408850002", Hubungan::kIstriSuami, "Painem")}),
        MakeUpsert("K2", "3171011203150001", 3171011001,
                   {MakeTestPerson("P3", "Agus Salim", "1970-03-20", Sex::kLakiLaki,
                                   "3171012003700001", Hubungan::kKepalaKeluarga, "Warsini")}),
        MakeUpsert("K3", "3201021203150002", 3201021001,
                   {MakeTestPerson("P4", "Rahmawati Kusumaningrum", "1990-01-05", Sex::kPerempuan,
                                   "3201024501900001", Hubungan::kKepalaKeluarga)}),
    };
    EXPECT_TRUE(database_->Write(writes).ok());
  }

  const QueryEngine& engine() const override { return *engine_; }
  const RegionTable& regions() const override { return *regions_; }
  const Database& database() const override { return *database_; }
  const FellegiSunterModel& model() const override { return *model_; }
  const NameNormalizer& names() const override { return *names_; }
  const AddressNormalizer& addresses() const override { return *addresses_; }
  absl::Status Write(absl::Span<const Mutation> mutations,
                     const Database::Precondition& precondition) override {
    {
      // A held write waits here, as one waiting for a slow disk would (10 s at most, so that a
      // failing test ends).
      absl::MutexLock lock(&hold_mu_);
      ++writes_entered_;
      if (!hold_mu_.AwaitWithTimeout(absl::Condition(
                                         +[](bool* held) { return !*held; }, &hold_),
                                     absl::Seconds(10))) {
        ++held_writes_timed_out_;
      }
    }
    if (!write_error_.ok()) return std::exchange(write_error_, absl::OkStatus());
    return database_->Write(mutations, precondition);
  }
  // Writes wait until ReleaseWrites.
  void HoldWrites() {
    absl::MutexLock lock(&hold_mu_);
    hold_ = true;
  }
  void ReleaseWrites() {
    absl::MutexLock lock(&hold_mu_);
    hold_ = false;
  }
  // Held writes that went through because ReleaseWrites did not come within 10 s.
  int held_writes_timed_out() {
    absl::MutexLock lock(&hold_mu_);
    return held_writes_timed_out_;
  }
  // Waits (10 s at most) until `count` writes have reached Write; whether they have.
  bool WaitForWritesEntered(int count) {
    absl::MutexLock lock(&hold_mu_);
    auto entered = [&] { return writes_entered_ >= count; };
    return hold_mu_.AwaitWithTimeout(absl::Condition(&entered), absl::Seconds(10));
  }
  // The next Write fails with `status` (how the registry's refusals and I/O errors are tested).
  void FailNextWrite(absl::Status status) { write_error_ = std::move(status); }
  ServingStats Stats() const override {
    ServingStats stats;
    Database::ReadView view = database_->Read();
    const auto& registry = static_cast<const Registry&>(view.state());
    stats.persons = registry.store().live_person_count();
    stats.households = registry.store().live_household_count();
    stats.memory = registry.Memory();
    stats.log_bytes = database_->log_bytes();
    stats.last_sequence = database_->last_sequence();
    stats.recovery = database_->recovery();
    stats.model_version = model_->version();
    stats.text_index_state = "off";
    return stats;
  }

 private:
  const NameNormalizer* names_;
  const AddressNormalizer* addresses_;
  const RegionTable* regions_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<FellegiSunterModel> model_;
  std::unique_ptr<QueryEngine> engine_;
  absl::Status write_error_;
  absl::Mutex hold_mu_;
  bool hold_ = false;              // guarded by hold_mu_
  int writes_entered_ = 0;         // guarded by hold_mu_
  int held_writes_timed_out_ = 0;  // guarded by hold_mu_
};

}  // namespace padan::testing
