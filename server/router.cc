#include "server/router.h"

#include "absl/strings/str_split.h"

#include "data/absl_strings.h"

namespace padan {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

}  // namespace

std::string_view HttpMethodName(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return "GET";
    case HttpMethod::kHead:
      return "HEAD";
    case HttpMethod::kPost:
      return "POST";
    case HttpMethod::kPut:
      return "PUT";
    case HttpMethod::kDelete:
      return "DELETE";
    case HttpMethod::kOther:
      return "OTHER";
  }
  return "OTHER";
}

void Router::Add(HttpMethod method, std::string pattern, Handler handler, RouteOptions options) {
  Route route{method, std::move(pattern), handler, options, 0, {}};
  for (std::string_view segment : SplitPath(route.pattern)) route.segments.emplace_back(segment);
  routes_.push_back(std::move(route));
}

RouteMatch Router::Find(HttpMethod method, std::string_view path) const {
  RouteMatch best;
  int best_exact = -1;
  if (path.empty() || path[0] != '/') return best;
  std::vector<std::string_view> segments = SplitPath(path);
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    int exact = 0;
    bool matches = true;
    for (size_t i = 0; i < segments.size() && matches; ++i) {
      const std::string& want = route.segments[i];
      if (!want.empty() && want[0] == ':') {
        matches = !segments[i].empty();
      } else {
        matches = want == segments[i];
        ++exact;
      }
    }
    if (!matches) continue;
    // HEAD is answered by the GET route (without a body).
    bool method_ok =
        route.method == method || (method == HttpMethod::kHead && route.method == HttpMethod::kGet);
    if (!method_ok) {
      best.path_known = true;
      continue;
    }
    if (exact <= best_exact) continue;
    best_exact = exact;
    best.route = &route;
    best.params.clear();
    for (size_t i = 0; i < segments.size(); ++i) {
      if (!route.segments[i].empty() && route.segments[i][0] == ':') {
        best.params.emplace_back(std::string_view(route.segments[i]).substr(1), segments[i]);
      }
    }
  }
  return best;
}

}  // namespace padan
