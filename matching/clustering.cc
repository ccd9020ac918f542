#include "matching/clustering.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"

#include "matching/fellegi_sunter_model.h"
#include "matching/nik_comparison.h"
#include "matching/union_find.h"

namespace padan {
namespace {

bool Anchored(const RecordFacts& facts) { return facts.nik != 0 && facts.nik_consistent; }

// Whether two trustworthy NIKs may belong to one person: equal, or one typo apart (a digit
// mistyped, two neighbours swapped) — a mistyped NIK can still look valid and consistent.
bool SameIdentity(uint64_t a, uint64_t b) {
  const NikLevel level = CompareNik(a, b);
  return level == NikLevel::kExact || level == NikLevel::kOneSubstitution ||
         level == NikLevel::kAdjacentTransposition;
}

// Whether `x` stands for a cluster better than `y` (see Clustering::representative).
bool BetterRepresentative(uint32_t x, uint32_t y, absl::Span<const RecordFacts> facts) {
  if (Anchored(facts[x]) != Anchored(facts[y])) return Anchored(facts[x]);
  if (facts[x].completeness != facts[y].completeness) {
    return facts[x].completeness > facts[y].completeness;
  }
  return x < y;
}

// The sets being built, with what a join must check: each set's trustworthy NIKs (a set never
// holds two that are more than a typo apart) and the records its members were scored apart
// from.
class ConstrainedSets {
 public:
  ConstrainedSets(size_t size, absl::Span<const RecordFacts> facts)
      : sets_(size), anchor_(size, 0), weakest_(size, std::numeric_limits<float>::infinity()) {
    for (size_t i = 0; i < size; ++i) {
      if (Anchored(facts[i])) anchor_[i] = facts[i].nik;
    }
  }

  void KeepApart(uint32_t a, uint32_t b) {
    apart_[a].push_back(b);
    apart_[b].push_back(a);
  }

  uint32_t Find(uint32_t x) { return sets_.Find(x); }

  // Joins the sets of a and b unless a rule forbids it; false when refused.
  bool TryJoin(uint32_t a, uint32_t b, float weight) {
    const uint32_t ra = sets_.Find(a);
    const uint32_t rb = sets_.Find(b);
    if (!AnchorsCompatible(ra, rb) || KeptApart(ra, rb)) return false;
    const uint32_t root = sets_.Union(ra, rb);
    const uint32_t other = root == ra ? rb : ra;
    MergeAnchors(root, other);
    weakest_[root] = std::min({weakest_[root], weakest_[other], weight});
    auto moved = apart_.find(other);
    if (moved != apart_.end()) {
      std::vector<uint32_t> partners = std::move(moved->second);
      apart_.erase(moved);
      std::vector<uint32_t>& kept = apart_[root];
      if (kept.size() < partners.size()) kept.swap(partners);
      kept.insert(kept.end(), partners.begin(), partners.end());
    }
    return true;
  }

  // The weight of the weakest link that joined the set of root `root`.
  float weakest(uint32_t root) const { return weakest_[root]; }

 private:
  // The trustworthy NIKs of the set of root `root`.
  absl::InlinedVector<uint64_t, 2> AnchorsOf(uint32_t root) const {
    absl::InlinedVector<uint64_t, 2> anchors;
    if (anchor_[root] != 0) anchors.push_back(anchor_[root]);
    auto more = more_anchors_.find(root);
    if (more != more_anchors_.end()) anchors.insert(anchors.end(), more->second.begin(),
                                                    more->second.end());
    return anchors;
  }

  bool AnchorsCompatible(uint32_t ra, uint32_t rb) const {
    if (anchor_[ra] == 0 || anchor_[rb] == 0) return true;
    for (uint64_t a : AnchorsOf(ra)) {
      for (uint64_t b : AnchorsOf(rb)) {
        if (!SameIdentity(a, b)) return false;
      }
    }
    return true;
  }

  void MergeAnchors(uint32_t root, uint32_t other) {
    if (anchor_[other] == 0) return;
    if (anchor_[root] == 0) {
      anchor_[root] = anchor_[other];
      auto moved = more_anchors_.find(other);
      if (moved != more_anchors_.end()) {
        more_anchors_[root] = std::move(moved->second);
        more_anchors_.erase(other);
      }
      return;
    }
    for (uint64_t nik : AnchorsOf(other)) {
      const absl::InlinedVector<uint64_t, 2> held = AnchorsOf(root);
      if (std::find(held.begin(), held.end(), nik) == held.end()) {
        more_anchors_[root].push_back(nik);
      }
    }
    more_anchors_.erase(other);
  }

  // Whether a member of one set was scored apart from a member of the other: the shorter list
  // of partners is walked.
  bool KeptApart(uint32_t ra, uint32_t rb) {
    auto la = apart_.find(ra);
    auto lb = apart_.find(rb);
    if (la == apart_.end() || lb == apart_.end()) return false;
    const bool a_shorter = la->second.size() <= lb->second.size();
    const std::vector<uint32_t>& partners = a_shorter ? la->second : lb->second;
    const uint32_t other = a_shorter ? rb : ra;
    for (uint32_t partner : partners) {
      if (sets_.Find(partner) == other) return true;
    }
    return false;
  }

  UnionFind sets_;
  std::vector<uint64_t> anchor_;  // per root: the set's first trustworthy NIK, 0 for none
  // Per root whose set holds more than one (a typo apart): the others.
  absl::flat_hash_map<uint32_t, std::vector<uint64_t>> more_anchors_;
  std::vector<float> weakest_;    // per root
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> apart_;  // per root, when any
};

}  // namespace

Clustering ClusterRecords(size_t record_count, absl::Span<const ScoredLink> links,
                          absl::Span<const RecordFacts> facts, const ClusteringOptions& options) {
  ConstrainedSets sets(record_count, facts);
  UnionFind components(record_count);  // the match graph as plain union-find would join it
  std::vector<uint32_t> joining;
  for (uint32_t i = 0; i < links.size(); ++i) {
    const ScoredLink& link = links[i];
    if (link.a == link.b) continue;
    if (link.weight >= options.match_threshold) {
      joining.push_back(i);
    } else if (link.weight < options.possible_threshold) {
      sets.KeepApart(link.a, link.b);
    }
  }
  auto ordered = [&](uint32_t i) {
    return std::pair(std::min(links[i].a, links[i].b), std::max(links[i].a, links[i].b));
  };
  std::sort(joining.begin(), joining.end(), [&](uint32_t x, uint32_t y) {
    if (links[x].weight != links[y].weight) return links[x].weight > links[y].weight;
    return ordered(x) < ordered(y);
  });

  Clustering result;
  for (uint32_t i : joining) {
    const ScoredLink& link = links[i];
    components.Union(link.a, link.b);
    if (sets.Find(link.a) == sets.Find(link.b)) continue;
    if (sets.TryJoin(link.a, link.b, link.weight)) {
      ++result.joins;
    } else {
      ++result.refused_joins;
    }
  }

  result.cluster_of.assign(record_count, kNoLink);
  std::vector<uint32_t> cluster_of_root(record_count, kNoLink);
  std::vector<uint32_t> root_of_cluster;
  for (uint32_t r = 0; r < record_count; ++r) {
    const uint32_t root = sets.Find(r);
    if (cluster_of_root[root] == kNoLink) {
      cluster_of_root[root] = static_cast<uint32_t>(root_of_cluster.size());
      root_of_cluster.push_back(root);
      result.representative.push_back(r);
      result.size.push_back(0);
    }
    const uint32_t cluster = cluster_of_root[root];
    result.cluster_of[r] = cluster;
    ++result.size[cluster];
    if (BetterRepresentative(r, result.representative[cluster], facts)) {
      result.representative[cluster] = r;
    }
  }
  std::vector<uint32_t>().swap(cluster_of_root);

  // A component is split when its records ended in more than one cluster.
  std::vector<uint32_t> first_cluster(record_count, kNoLink);
  std::vector<bool> counted(record_count, false);
  for (uint32_t r = 0; r < record_count; ++r) {
    const uint32_t component = components.Find(r);
    if (first_cluster[component] == kNoLink) {
      first_cluster[component] = result.cluster_of[r];
    } else if (first_cluster[component] != result.cluster_of[r] && !counted[component]) {
      counted[component] = true;
      ++result.components_split;
    }
  }

  result.strongest_link.assign(record_count, kNoLink);
  auto offer = [&](uint32_t record, uint32_t link) {
    uint32_t& best = result.strongest_link[record];
    if (best == kNoLink || links[link].weight > links[best].weight) best = link;
  };
  for (uint32_t i = 0; i < links.size(); ++i) {
    const ScoredLink& link = links[i];
    if (link.a == link.b) continue;
    const uint32_t ca = result.cluster_of[link.a];
    const uint32_t cb = result.cluster_of[link.b];
    if (ca == cb) {
      offer(link.a, i);
      offer(link.b, i);
      continue;
    }
    if (result.size[ca] == 1) offer(link.a, i);
    if (result.size[cb] == 1) offer(link.b, i);
  }

  result.confidence.resize(root_of_cluster.size());
  for (uint32_t c = 0; c < root_of_cluster.size(); ++c) {
    if (result.size[c] > 1) {
      result.confidence[c] =
          FellegiSunterModel::ProbabilityFromWeight(sets.weakest(root_of_cluster[c]));
      continue;
    }
    const uint32_t best = result.strongest_link[result.representative[c]];
    result.confidence[c] =
        best == kNoLink ? 1.0 : 1.0 - FellegiSunterModel::ProbabilityFromWeight(links[best].weight);
  }
  return result;
}

}  // namespace padan
