#include "server/jobs/job_runner.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/absl_strings.h"
#include "tests/server/test_backend.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::ReadFile;
using ::padan::testing::StatusIs;
using ::padan::testing::WriteFile;
using ::testing::HasSubstr;

// A job type for the runner's own tests: copies its input to the result, or — with params
// {"mode":"block"} — reports progress until it is cancelled, or fails with {"mode":"fail"}.
class EchoJob final : public JobType {
 public:
  std::string_view name() const override { return "echo"; }
  std::vector<std::string_view> inputs() const override { return {"input"}; }
  absl::StatusOr<std::string> CheckParams(std::string_view params) const override {
    return std::string(params);
  }
  absl::StatusOr<JobOutput> Run(const JobRun& run) const override {
    started.fetch_add(1);
    if (run.job.params_json.find("block") != std::string::npos) {
      for (uint64_t step = 0; !run.control.Cancelled(); ++step) {
        run.control.Report("menunggu", step, 1'000'000);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      WriteFile(run.result_dir + "/half.csv", "partial");
      return absl::CancelledError("stopped");
    }
    if (run.job.params_json.find("fail") != std::string::npos) {
      return absl::InvalidArgumentError("input.csv line 3: kolom nama tidak ada");
    }
    WriteFile(run.result_dir + "/out.csv", ReadFile(run.input_dir + "/" + run.job.inputs[0]));
    run.control.Report("rows", 1, 1);
    JobOutput output;
    output.results.push_back({"out.csv", "text/csv", 0});
    output.summary_json = R"({"rows":1})";
    return output;
  }
  static inline std::atomic<int> started{0};
};

class JobRunnerTest : public ::testing::Test {
 protected:
  // Not MakeTempDir(): that would empty the directory the backend's database lives in.
  void SetUp() override {
    static int runs = 0;
    dir_ = ::testing::TempDir() + "/padan_jobs_" + std::to_string(getpid()) + "_" +
           std::to_string(++runs);
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<JobRunner> Open(size_t workers = 1, size_t max_queued = 16,
                                  int64_t keep_finished_hours = 0,
                                  std::function<void(JobRunnerOptions&)> adjust = nullptr) {
    JobRunnerOptions options;
    options.dir = dir_;
    options.workers = workers;
    options.max_queued = max_queued;
    options.nice = 0;
    options.keep_finished_hours = keep_finished_hours;
    if (adjust) adjust(options);
    std::vector<std::unique_ptr<JobType>> types;
    types.push_back(std::make_unique<EchoJob>());
    absl::StatusOr<std::unique_ptr<JobRunner>> runner =
        JobRunner::Open(options, backend_, std::move(types));
    EXPECT_TRUE(runner.ok()) << runner.status();
    return runner.ok() ? *std::move(runner) : nullptr;
  }

  absl::StatusOr<JobRecord> Submit(JobRunner& runner, std::string params = "{}",
                                   std::string content = "nama\nSITI\n") {
    std::string upload = runner.NewUploadPath();
    WriteFile(upload, content);
    JobSubmission submission;
    submission.type = "echo";
    submission.params_json = std::move(params);
    submission.key_id = "k1";
    submission.scope = 32;
    submission.inputs.push_back({"input", upload, ".csv"});
    return runner.Submit(std::move(submission));
  }

  // Polls until the job reaches `state` (or 20 s pass).
  JobStatus WaitFor(JobRunner& runner, const std::string& id, JobState state) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    absl::StatusOr<JobStatus> status = runner.Get(id);
    while (status.ok() && status->record.state != state &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      status = runner.Get(id);
    }
    EXPECT_TRUE(status.ok()) << status.status();
    EXPECT_EQ(JobStateName(status->record.state), JobStateName(state)) << status->record.error;
    return *status;
  }

  padan::testing::TestBackend backend_;
  std::string dir_;
};

TEST_F(JobRunnerTest, RunsAJobAndKeepsItsResultAcrossARestart) {
  std::string id;
  {
    std::unique_ptr<JobRunner> runner = Open();
    absl::StatusOr<JobRecord> job = Submit(*runner);
    ASSERT_TRUE(job.ok()) << job.status();
    id = job->id;
    EXPECT_EQ(job->inputs, std::vector<std::string>{"input.csv"});
    JobStatus done = WaitFor(*runner, id, JobState::kDone);
    ASSERT_EQ(done.record.results.size(), 1u);
    EXPECT_EQ(done.record.results[0].bytes, 10u);  // stat'ed after the run
    EXPECT_EQ(done.record.summary_json, R"({"rows":1})");
    EXPECT_EQ(done.record.key_id, "k1");
    EXPECT_EQ(done.record.scope, 32u);
  }
  std::unique_ptr<JobRunner> reopened = Open();
  absl::StatusOr<JobStatus> again = reopened->Get(id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->record.state, JobState::kDone);
  absl::StatusOr<std::string> path = reopened->ResultPath(id, "out.csv");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(ReadFile(*path), "nama\nSITI\n");
  EXPECT_THAT(reopened->ResultPath(id, "../job.json"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(JobRunnerTest, AFailingRunSaysWhy) {
  std::unique_ptr<JobRunner> runner = Open();
  absl::StatusOr<JobRecord> job = Submit(*runner, R"({"mode":"fail"})");
  ASSERT_TRUE(job.ok());
  JobStatus failed = WaitFor(*runner, job->id, JobState::kFailed);
  EXPECT_THAT(failed.record.error, HasSubstr("line 3"));
  EXPECT_TRUE(failed.record.results.empty());
}

TEST_F(JobRunnerTest, CancelStopsARunningJobAndDropsItsPartialResult) {
  std::unique_ptr<JobRunner> runner = Open();
  absl::StatusOr<JobRecord> job = Submit(*runner, R"({"mode":"block"})");
  ASSERT_TRUE(job.ok());
  JobStatus running = WaitFor(*runner, job->id, JobState::kRunning);
  // Progress arrives while it runs, with a rate and an ETA once the phase has a total.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (running.record.done < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    running = *runner->Get(job->id);
  }
  EXPECT_EQ(running.record.phase, "menunggu");
  EXPECT_EQ(running.record.total, 1'000'000u);
  EXPECT_GT(running.rate, 0);
  EXPECT_GT(running.eta_seconds, 0);
  EXPECT_THAT(runner->Delete(job->id), StatusIs(absl::StatusCode::kFailedPrecondition));

  absl::StatusOr<JobStatus> cancelling = runner->Cancel(job->id);
  ASSERT_TRUE(cancelling.ok());
  EXPECT_TRUE(cancelling->cancel_requested);
  JobStatus cancelled = WaitFor(*runner, job->id, JobState::kCancelled);
  EXPECT_TRUE(cancelled.record.results.empty());
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/" + job->id + "/result/half.csv"));
  EXPECT_THAT(runner->Cancel(job->id), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(runner->Delete(job->id), IsOk());
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/" + job->id));
  EXPECT_THAT(runner->Get(job->id), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(JobRunnerTest, QueuedJobsWaitTheirTurnAndCanBeCancelledAtOnce) {
  std::unique_ptr<JobRunner> runner = Open(/*workers=*/1, /*max_queued=*/2);
  absl::StatusOr<JobRecord> blocking = Submit(*runner, R"({"mode":"block"})");
  ASSERT_TRUE(blocking.ok());
  WaitFor(*runner, blocking->id, JobState::kRunning);
  absl::StatusOr<JobRecord> second = Submit(*runner);
  absl::StatusOr<JobRecord> third = Submit(*runner);
  ASSERT_TRUE(second.ok() && third.ok());
  EXPECT_THAT(Submit(*runner), StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(runner->Get(second->id)->record.state, JobState::kQueued);

  absl::StatusOr<JobStatus> cancelled = runner->Cancel(second->id);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->record.state, JobState::kCancelled);
  ASSERT_TRUE(runner->Cancel(blocking->id).ok());
  WaitFor(*runner, third->id, JobState::kDone);
  EXPECT_EQ(runner->Get(second->id)->record.state, JobState::kCancelled);
  JobRunner::Counts counts = runner->CountByState();
  EXPECT_EQ(counts.done, 1u);
  EXPECT_EQ(counts.cancelled, 2u);
}

TEST_F(JobRunnerTest, ShutdownFailsTheRunningJobAndKeepsTheQueuedOneForTheNextStart) {
  std::string running_id;
  std::string queued_id;
  {
    std::unique_ptr<JobRunner> runner = Open();
    absl::StatusOr<JobRecord> blocking = Submit(*runner, R"({"mode":"block"})");
    ASSERT_TRUE(blocking.ok());
    running_id = blocking->id;
    WaitFor(*runner, running_id, JobState::kRunning);
    absl::StatusOr<JobRecord> queued = Submit(*runner);
    ASSERT_TRUE(queued.ok());
    queued_id = queued->id;
    runner->Shutdown();
    JobStatus failed = *runner->Get(running_id);
    EXPECT_EQ(failed.record.state, JobState::kFailed);
    EXPECT_THAT(failed.record.error, HasSubstr("shut down"));
    EXPECT_THAT(Submit(*runner), StatusIs(absl::StatusCode::kUnavailable));
  }
  std::unique_ptr<JobRunner> reopened = Open();
  EXPECT_EQ(reopened->Get(running_id)->record.state, JobState::kFailed);
  WaitFor(*reopened, queued_id, JobState::kDone);
}

TEST_F(JobRunnerTest, AJobRunningWhenTheProcessDiedIsFailedOnTheNextStart) {
  std::string id;
  {
    std::unique_ptr<JobRunner> runner = Open();
    absl::StatusOr<JobRecord> job = Submit(*runner);
    ASSERT_TRUE(job.ok());
    id = job->id;
    WaitFor(*runner, id, JobState::kDone);
  }
  // What kill -9 mid-run leaves: a job file that still says running.
  const std::string job_file = dir_ + "/" + id + "/job.json";
  absl::StatusOr<JobRecord> record = JobRecord::FromJson(ReadFile(job_file));
  ASSERT_TRUE(record.ok()) << record.status();
  record->state = JobState::kRunning;
  WriteFile(job_file, record->ToJson());
  // And a job folder whose file is garbage, and an upload that never finished.
  std::filesystem::create_directories(dir_ + "/jbroken");
  WriteFile(dir_ + "/jbroken/job.json", "{not json");
  WriteFile(dir_ + "/uploads/stale.body", "half a body");

  std::unique_ptr<JobRunner> reopened = Open();
  JobStatus status = *reopened->Get(id);
  EXPECT_EQ(status.record.state, JobState::kFailed);
  EXPECT_THAT(status.record.error, HasSubstr("interrupted"));
  EXPECT_THAT(reopened->Get("jbroken"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/uploads/stale.body"));
}

TEST_F(JobRunnerTest, FinishedJobsAreRemovedOnceTheirRetentionIsOver) {
  std::string old_id;
  std::string recent_id;
  {
    std::unique_ptr<JobRunner> runner = Open();
    old_id = Submit(*runner)->id;
    recent_id = Submit(*runner)->id;
    WaitFor(*runner, old_id, JobState::kDone);
    WaitFor(*runner, recent_id, JobState::kDone);
  }
  // One finished two days ago, the other an hour ago.
  auto finished_ago = [&](const std::string& id, int64_t hours) {
    const std::string job_file = dir_ + "/" + id + "/job.json";
    absl::StatusOr<JobRecord> record = JobRecord::FromJson(ReadFile(job_file));
    ASSERT_TRUE(record.ok()) << record.status();
    record->finished_ms -= hours * 3'600'000;
    WriteFile(job_file, record->ToJson());
  };
  finished_ago(old_id, 48);
  finished_ago(recent_id, 1);

  {
    std::unique_ptr<JobRunner> kept = Open(1, 16, /*keep_finished_hours=*/0);  // keep all
    EXPECT_EQ(kept->List().size(), 2u);
  }
  std::unique_ptr<JobRunner> runner = Open(1, 16, /*keep_finished_hours=*/24);
  EXPECT_THAT(runner->Get(old_id), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/" + old_id));
  ASSERT_TRUE(runner->Get(recent_id).ok());
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/" + recent_id));
  EXPECT_EQ(runner->List().size(), 1u);
}

TEST_F(JobRunnerTest, ARunningServerRemovesJobsWhoseRetentionRunsOutWithoutNewSubmissions) {
  std::atomic<int64_t> hours_ahead{0};
  std::unique_ptr<JobRunner> runner =
      Open(1, 16, /*keep_finished_hours=*/24, [&](JobRunnerOptions& options) {
        options.sweep_interval_ms = 10;
        options.clock_ms = [&] {
          return std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count() +
                 hours_ahead.load() * 3'600'000;
        };
      });
  const std::string id = Submit(*runner)->id;
  WaitFor(*runner, id, JobState::kDone);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a few sweeps: still kept
  ASSERT_TRUE(runner->Get(id).ok());
  hours_ahead = 25;  // a day and an hour later, with no submission in between
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  // The record goes first, its folder right after (outside the runner's lock).
  while ((runner->Get(id).ok() || std::filesystem::exists(dir_ + "/" + id)) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_THAT(runner->Get(id), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/" + id));
  runner->Shutdown();  // the sweeper stops with the workers
}

TEST_F(JobRunnerTest, SubmitRefusesUnknownTypesAndMissingInputs) {
  std::unique_ptr<JobRunner> runner = Open();
  JobSubmission unknown;
  unknown.type = "sensus";
  EXPECT_THAT(runner->Submit(unknown), StatusIs(absl::StatusCode::kInvalidArgument));
  JobSubmission without_input;
  without_input.type = "echo";
  EXPECT_THAT(runner->Submit(without_input),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("missing input input")));
}

TEST(JobRecordTest, JsonRoundTripAndCorruptFiles) {
  JobRecord job;
  job.id = "j0123456789abcdef";
  job.type = "link";
  job.key_id = "dinsos \"bogor\"";
  job.scope = 3201;
  job.pii = true;
  job.params_json = R"({"format":"ndjson","mapping":{"columns":{"nama":"NAMA"}}})";
  job.inputs = {"input.csv"};
  job.state = JobState::kDone;
  job.created_ms = 1;
  job.started_ms = 2;
  job.finished_ms = 3;
  job.phase = "input bytes";
  job.done = 7;
  job.total = 9;
  job.results = {{"hasil.ndjson", "application/x-ndjson", 123}};
  job.summary_json = R"({"rows":5})";
  absl::StatusOr<JobRecord> back = JobRecord::FromJson(job.ToJson());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToJson(), job.ToJson());
  EXPECT_EQ(back->key_id, job.key_id);
  EXPECT_EQ(back->results[0].bytes, 123u);
  EXPECT_THAT(JobRecord::FromJson("[]"), StatusIs(absl::StatusCode::kDataLoss));
  std::string bad_state = job.ToJson();
  bad_state.replace(bad_state.find("\"done\",\"error\""), 6, "\"later\"");
  EXPECT_THAT(JobRecord::FromJson(bad_state),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("state")));
}

}  // namespace
}  // namespace padan
