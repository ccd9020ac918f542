// The handlers of the v1 API: thin free functions, each parse → validate → call the query
// engine or the data folder → render. They return a Status for errors (api_error.h maps it)
// and leave the audit details in the context; the dispatcher does everything else.
#pragma once

#include "absl/status/statusor.h"

#include "server/http_message.h"
#include "server/request_context.h"

namespace padan {

// system_handlers.cc
absl::StatusOr<HttpResponse> HandleHealthz(RequestContext& context);
absl::StatusOr<HttpResponse> HandleReadyz(RequestContext& context);
absl::StatusOr<HttpResponse> HandleMetrics(RequestContext& context);
absl::StatusOr<HttpResponse> HandleStats(RequestContext& context);
absl::StatusOr<HttpResponse> HandleSearchPage(RequestContext& context);
absl::StatusOr<HttpResponse> HandleOpenApi(RequestContext& context);

// read_handlers.cc
absl::StatusOr<HttpResponse> HandleGetPerson(RequestContext& context);
absl::StatusOr<HttpResponse> HandleGetHousehold(RequestContext& context);
absl::StatusOr<HttpResponse> HandleNikLookup(RequestContext& context);
absl::StatusOr<HttpResponse> HandleSearch(RequestContext& context);

// match_handlers.cc
absl::StatusOr<HttpResponse> HandleMatch(RequestContext& context);
absl::StatusOr<HttpResponse> HandleMatchBatch(RequestContext& context);
absl::StatusOr<HttpResponse> HandleDedupCheck(RequestContext& context);

// write_handlers.cc
absl::StatusOr<HttpResponse> HandlePutHousehold(RequestContext& context);
absl::StatusOr<HttpResponse> HandleDeleteHousehold(RequestContext& context);
absl::StatusOr<HttpResponse> HandleIngest(RequestContext& context);

// job_handlers.cc
absl::StatusOr<HttpResponse> HandleSubmitJob(RequestContext& context);
absl::StatusOr<HttpResponse> HandleGetJob(RequestContext& context);
absl::StatusOr<HttpResponse> HandleListJobs(RequestContext& context);
absl::StatusOr<HttpResponse> HandleJobResult(RequestContext& context);
absl::StatusOr<HttpResponse> HandleDeleteJob(RequestContext& context);

// A 200 response with a JSON body.
HttpResponse JsonResponse(std::string body, int status = 200);

}  // namespace padan
