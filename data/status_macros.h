// PADAN_RETURN_IF_ERROR and PADAN_ASSIGN_OR_RETURN: Debian's abseil 20220623 has no status
// macros, so padan defines its own. They live in data/ because every layer uses them.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define PADAN_STATUS_CONCAT_INNER_(a, b) a##b
#define PADAN_STATUS_CONCAT_(a, b) PADAN_STATUS_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the enclosing function when it is not OK.
#define PADAN_RETURN_IF_ERROR(expr)                  \
  do {                                               \
    ::absl::Status padan_status_ = (expr);           \
    if (!padan_status_.ok()) return padan_status_;   \
  } while (false)

// `PADAN_ASSIGN_OR_RETURN(T x, StatusOrExpr)`: evaluates the StatusOr, returns its status when
// not OK, else moves its value into the declaration `T x` (or into an existing lvalue).
#define PADAN_ASSIGN_OR_RETURN(lhs, rexpr) \
  PADAN_ASSIGN_OR_RETURN_IMPL_(PADAN_STATUS_CONCAT_(padan_statusor_, __LINE__), lhs, rexpr)

#define PADAN_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                 \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()
