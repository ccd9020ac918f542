#include "matching/evaluation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/html_escape.h"

namespace padan {
namespace {

// Threshold sweep step and histogram range in bits of match weight.
constexpr double kThresholdStep = 0.25;
constexpr double kHistogramFloor = -40;
constexpr double kHistogramCeiling = 60;

ThresholdPoint PointAt(double threshold, const std::vector<double>& true_weights,
                       const std::vector<double>& false_weights, uint64_t true_pairs) {
  // Both vectors are sorted ascending: count those >= threshold.
  auto at_or_above = [threshold](const std::vector<double>& weights) {
    return static_cast<uint64_t>(weights.end() -
                                 std::lower_bound(weights.begin(), weights.end(), threshold));
  };
  ThresholdPoint point;
  point.threshold = threshold;
  point.true_positives = at_or_above(true_weights);
  point.false_positives = at_or_above(false_weights);
  point.false_negatives = true_pairs - point.true_positives;
  uint64_t predicted = point.true_positives + point.false_positives;
  point.precision = predicted == 0 ? 1.0 : static_cast<double>(point.true_positives) / predicted;
  point.recall = true_pairs == 0 ? 0.0 : static_cast<double>(point.true_positives) / true_pairs;
  point.f1 = point.precision + point.recall == 0
                 ? 0.0
                 : 2 * point.precision * point.recall / (point.precision + point.recall);
  return point;
}

// Histogram of true (green) and false (red) pairs on a log count scale.
std::string HistogramSvg(const EvaluationReport& report) {
  constexpr int kWidth = 900;
  constexpr int kHeight = 320;
  constexpr int kMargin = 40;
  size_t bins = report.true_histogram.size();
  if (bins == 0) return "";
  uint64_t max_count = 1;
  for (size_t i = 0; i < bins; ++i) {
    max_count = std::max({max_count, report.true_histogram[i], report.false_histogram[i]});
  }
  double log_max = std::log10(static_cast<double>(max_count) + 1);
  double bar = static_cast<double>(kWidth - 2 * kMargin) / static_cast<double>(bins);
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n",
      kWidth, kHeight);
  auto height_of = [&](uint64_t count) {
    return count == 0
               ? 0.0
               : (kHeight - 2 * kMargin) * std::log10(static_cast<double>(count) + 1) / log_max;
  };
  for (size_t i = 0; i < bins; ++i) {
    double x = kMargin + static_cast<double>(i) * bar;
    double hf = height_of(report.false_histogram[i]);
    double ht = height_of(report.true_histogram[i]);
    absl::StrAppendFormat(
        &svg,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
        "fill=\"#d62728\" fill-opacity=\"0.6\"><title>%g: %d false</title></rect>\n",
        x, kHeight - kMargin - hf, bar, hf, report.histogram_min + i * report.histogram_bin_width,
        report.false_histogram[i]);
    absl::StrAppendFormat(
        &svg,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
        "fill=\"#2ca02c\" fill-opacity=\"0.6\"><title>%g: %d true</title></rect>\n",
        x, kHeight - kMargin - ht, bar, ht, report.histogram_min + i * report.histogram_bin_width,
        report.true_histogram[i]);
  }
  for (size_t i = 0; i < bins; i += 5) {
    double x = kMargin + static_cast<double>(i) * bar;
    absl::StrAppendFormat(&svg, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n", x,
                          kHeight - kMargin + 15,
                          report.histogram_min + i * report.histogram_bin_width);
  }
  double best_x =
      kMargin + (report.best.threshold - report.histogram_min) / report.histogram_bin_width * bar;
  absl::StrAppendFormat(&svg,
                        "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"black\" "
                        "stroke-dasharray=\"4\"/><text x=\"%.1f\" y=\"%d\">best threshold "
                        "%.2f</text>\n",
                        best_x, best_x, kMargin, kHeight - kMargin, best_x + 4, kMargin + 10,
                        report.best.threshold);
  absl::StrAppendFormat(&svg,
                        "<text x=\"%d\" y=\"%d\">match weight (bits); bar height: log10(pairs "
                        "+ 1); green true pairs, red false pairs</text>\n</svg>\n",
                        kMargin, kHeight - 8);
  return svg;
}

// Precision, recall and F1 against the threshold.
std::string CurveSvg(const EvaluationReport& report) {
  constexpr int kWidth = 900;
  constexpr int kHeight = 300;
  constexpr int kMargin = 40;
  if (report.curve.size() < 2) return "";
  double lo = report.curve.front().threshold;
  double hi = report.curve.back().threshold;
  auto x_of = [&](double t) { return kMargin + (t - lo) / (hi - lo) * (kWidth - 2 * kMargin); };
  auto y_of = [&](double v) { return kHeight - kMargin - v * (kHeight - 2 * kMargin); };
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n",
      kWidth, kHeight);
  struct Series {
    const char* color;
    const char* name;
    double ThresholdPoint::*value;
  };
  for (const Series& series : {Series{"#1f77b4", "precision", &ThresholdPoint::precision},
                               Series{"#ff7f0e", "recall", &ThresholdPoint::recall},
                               Series{"#000000", "F1", &ThresholdPoint::f1}}) {
    std::string points;
    for (const ThresholdPoint& p : report.curve) {
      absl::StrAppendFormat(&points, "%.1f,%.1f ", x_of(p.threshold), y_of(p.*series.value));
    }
    absl::StrAppendFormat(&svg,
                          "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
                          "points=\"%s\"><title>%s</title></polyline>\n",
                          series.color, points, series.name);
  }
  for (double t = std::ceil(lo / 5) * 5; t <= hi; t += 5) {
    absl::StrAppendFormat(&svg, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
                          x_of(t), kHeight - kMargin + 15, t);
  }
  absl::StrAppendFormat(&svg,
                        "<text x=\"%d\" y=\"%d\">threshold (bits): precision blue, recall "
                        "orange, F1 black</text>\n</svg>\n",
                        kMargin, kHeight - 8);
  return svg;
}

}  // namespace

EvaluationReport Evaluate(absl::Span<const MatchRecord> records, absl::Span<const TruthLabel> truth,
                          absl::Span<const std::pair<uint32_t, uint32_t>> pairs,
                          const FellegiSunterModel& model, const FrequencyTables* frequencies) {
  EvaluationReport report;
  report.records = records.size();
  report.candidate_pairs = pairs.size();
  report.model_json = model.ToJson();

  absl::flat_hash_map<std::string_view, std::vector<uint32_t>> clusters;
  for (uint32_t i = 0; i < truth.size(); ++i) {
    if (!truth[i].cluster.empty()) clusters[truth[i].cluster].push_back(i);
  }
  for (const auto& [cluster, members] : clusters) {
    report.true_pairs += members.size() * (members.size() - 1) / 2;
  }

  std::vector<double> true_weights;
  std::vector<double> false_weights;
  absl::flat_hash_map<std::pair<uint32_t, uint32_t>, double> true_pair_weights;
  for (const auto& [i, j] : pairs) {
    const std::string& a = truth[i].cluster;
    const std::string& b = truth[j].cluster;
    if (a.empty() || b.empty()) continue;
    ComparisonVector vector = Compare(model.spec(), records[i], records[j]);
    double weight = model.MatchWeight(vector, records[i], records[j], frequencies);
    if (a == b) {
      true_weights.push_back(weight);
      true_pair_weights[{i, j}] = weight;
      report.worst_true_pairs.push_back({weight, i, j});
    } else {
      false_weights.push_back(weight);
      report.worst_false_pairs.push_back({weight, i, j});
    }
  }
  auto keep_worst = [](std::vector<EvaluationReport::ScoredIndexPair>* pairs, bool highest) {
    auto worse = [highest](const auto& x, const auto& y) {
      if (x.weight != y.weight) return highest ? x.weight > y.weight : x.weight < y.weight;
      return std::tie(x.i, x.j) < std::tie(y.i, y.j);
    };
    size_t keep = std::min(pairs->size(), kWorstPairsKept);
    std::partial_sort(pairs->begin(), pairs->begin() + static_cast<ptrdiff_t>(keep), pairs->end(),
                      worse);
    pairs->resize(keep);
  };
  keep_worst(&report.worst_false_pairs, /*highest=*/true);
  keep_worst(&report.worst_true_pairs, /*highest=*/false);
  report.true_pairs_in_candidates = true_weights.size();
  std::sort(true_weights.begin(), true_weights.end());
  std::sort(false_weights.begin(), false_weights.end());

  double lo = kHistogramCeiling;
  double hi = kHistogramFloor;
  for (const std::vector<double>* weights : {&true_weights, &false_weights}) {
    if (weights->empty()) continue;
    lo = std::min(lo, weights->front());
    hi = std::max(hi, weights->back());
  }
  lo = std::max(std::floor(lo), kHistogramFloor);
  hi = std::min(std::ceil(hi), kHistogramCeiling);
  if (hi <= lo) hi = lo + 1;
  for (double t = lo; t <= hi + 1e-9; t += kThresholdStep) {
    report.curve.push_back(PointAt(t, true_weights, false_weights, report.true_pairs));
    if (report.curve.back().f1 > report.best.f1) report.best = report.curve.back();
  }
  report.at_model_threshold =
      PointAt(model.match_threshold(), true_weights, false_weights, report.true_pairs);

  report.histogram_min = lo;
  report.histogram_bin_width = 1;
  size_t bins = static_cast<size_t>(hi - lo) + 1;
  report.true_histogram.assign(bins, 0);
  report.false_histogram.assign(bins, 0);
  auto bin_of = [&](double weight) {
    double clamped = std::clamp(weight, lo, hi);
    return std::min(bins - 1, static_cast<size_t>(clamped - lo));
  };
  for (double w : true_weights) ++report.true_histogram[bin_of(w)];
  for (double w : false_weights) ++report.false_histogram[bin_of(w)];

  // Recall per corruption type, over every true pair, found by blocking or not.
  std::map<std::string, CorruptionRecall> by_corruption;
  for (const auto& [cluster, members] : clusters) {
    for (size_t a = 0; a < members.size(); ++a) {
      for (size_t b = a + 1; b < members.size(); ++b) {
        uint32_t i = std::min(members[a], members[b]);
        uint32_t j = std::max(members[a], members[b]);
        std::vector<std::string> kinds = truth[i].corruptions;
        kinds.insert(kinds.end(), truth[j].corruptions.begin(), truth[j].corruptions.end());
        if (kinds.empty()) kinds.push_back("none");
        std::sort(kinds.begin(), kinds.end());
        kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
        auto it = true_pair_weights.find({i, j});
        bool in_candidates = it != true_pair_weights.end();
        bool found = in_candidates && it->second >= report.best.threshold;
        for (const std::string& kind : kinds) {
          CorruptionRecall& entry = by_corruption[kind];
          entry.corruption = kind;
          ++entry.true_pairs;
          entry.in_candidates += in_candidates;
          entry.found += found;
        }
      }
    }
  }
  for (auto& [kind, entry] : by_corruption) report.by_corruption.push_back(entry);
  std::sort(
      report.by_corruption.begin(), report.by_corruption.end(),
      [](const CorruptionRecall& a, const CorruptionRecall& b) { return a.recall() < b.recall(); });
  return report;
}

std::string EvaluationReport::ToText() const {
  std::string text;
  absl::StrAppendFormat(&text, "records                 %12d\n", records);
  absl::StrAppendFormat(&text, "true pairs (truth)      %12d\n", true_pairs);
  absl::StrAppendFormat(&text, "candidate pairs         %12d\n", candidate_pairs);
  absl::StrAppendFormat(&text, "blocking recall         %12.4f  (%d of %d true pairs)\n",
                        blocking_recall(), true_pairs_in_candidates, true_pairs);
  absl::StrAppendFormat(&text,
                        "best threshold          %12.2f  precision %.4f  recall %.4f  F1 %.4f\n",
                        best.threshold, best.precision, best.recall, best.f1);
  absl::StrAppendFormat(&text,
                        "model threshold         %12.2f  precision %.4f  recall %.4f  F1 %.4f\n",
                        at_model_threshold.threshold, at_model_threshold.precision,
                        at_model_threshold.recall, at_model_threshold.f1);
  text += "\nthreshold  precision  recall     F1\n";
  for (const ThresholdPoint& p : curve) {
    if (std::fmod(p.threshold, 2.0) != 0 && p.threshold != best.threshold) continue;
    absl::StrAppendFormat(&text, "%9.2f  %9.4f  %9.4f  %9.4f%s\n", p.threshold, p.precision,
                          p.recall, p.f1, p.threshold == best.threshold ? "  <- best" : "");
  }
  text += "\nmatch weight histogram (# true pairs, - false pairs; log scale)\n";
  uint64_t max_count = 1;
  for (size_t i = 0; i < true_histogram.size(); ++i) {
    max_count = std::max({max_count, true_histogram[i], false_histogram[i]});
  }
  auto bar = [max_count](uint64_t count, char symbol) {
    if (count == 0) return std::string();
    int width = static_cast<int>(std::ceil(30.0 * std::log10(static_cast<double>(count) + 1) /
                                           std::log10(static_cast<double>(max_count) + 1)));
    return std::string(static_cast<size_t>(width), symbol);
  };
  for (size_t i = 0; i < true_histogram.size(); ++i) {
    absl::StrAppendFormat(&text, "%6.0f | %-30s %8d | %-30s %8d\n",
                          histogram_min + static_cast<double>(i) * histogram_bin_width,
                          bar(true_histogram[i], '#'), true_histogram[i],
                          bar(false_histogram[i], '-'), false_histogram[i]);
  }
  text += "\nrecall by corruption type at the best threshold (weakest first)\n";
  absl::StrAppendFormat(&text, "%-24s %10s %10s %10s %8s\n", "corruption", "pairs", "blocked",
                        "found", "recall");
  for (const CorruptionRecall& c : by_corruption) {
    absl::StrAppendFormat(&text, "%-24s %10d %10d %10d %8.4f\n", c.corruption, c.true_pairs,
                          c.in_candidates, c.found, c.recall());
  }
  return text;
}

std::string EvaluationReport::ToHtml() const {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>padan eval</title><style>body{font-family:sans-serif;margin:2em;max-width:960px}"
      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;"
      "text-align:right}th{background:#eee}pre{background:#f6f6f6;padding:1em;overflow:auto}"
      "</style></head><body>\n<h1>padan eval</h1>\n";
  absl::StrAppendFormat(&html,
                        "<table><tr><th>records</th><td>%d</td></tr><tr><th>true pairs</th>"
                        "<td>%d</td></tr><tr><th>candidate pairs</th><td>%d</td></tr>"
                        "<tr><th>blocking recall</th><td>%.4f</td></tr>"
                        "<tr><th>best threshold</th><td>%.2f</td></tr><tr><th>precision</th>"
                        "<td>%.4f</td></tr><tr><th>recall</th><td>%.4f</td></tr>"
                        "<tr><th>F1</th><td>%.4f</td></tr></table>\n",
                        records, true_pairs, candidate_pairs, blocking_recall(), best.threshold,
                        best.precision, best.recall, best.f1);
  html += "<h2>Match weight of true and false pairs</h2>\n" + HistogramSvg(*this);
  html += "<h2>Precision, recall and F1 by threshold</h2>\n" + CurveSvg(*this);
  html +=
      "<h2>Recall by corruption type (at the best threshold)</h2>\n<table><tr>"
      "<th>corruption</th><th>true pairs</th><th>in candidates</th><th>found</th>"
      "<th>recall</th></tr>\n";
  for (const CorruptionRecall& c : by_corruption) {
    absl::StrAppendFormat(&html,
                          "<tr><td style=\"text-align:left\">%s</td><td>%d</td><td>%d</td>"
                          "<td>%d</td><td>%.4f</td></tr>\n",
                          HtmlEscape(c.corruption), c.true_pairs, c.in_candidates, c.found,
                          c.recall());
  }
  html += "</table>\n<h2>Model</h2>\n<pre>" + HtmlEscape(model_json) + "</pre>\n</body></html>\n";
  return html;
}

}  // namespace padan
