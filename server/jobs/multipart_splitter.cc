#include "server/jobs/multipart_splitter.h"

#include <cerrno>
#include <cstdio>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

#include "data/absl_strings.h"
#include "data/field_error.h"
#include "data/file_io.h"
#include "data/status_macros.h"

namespace padan {
namespace {

constexpr size_t kReadChunk = 1 << 20;
// A part's header block (Content-Disposition, Content-Type): a few hundred bytes in practice.
constexpr size_t kMaxPartHeaderBytes = 16 * 1024;

absl::Status Malformed(std::string_view why) {
  return InvalidField("body", StrCat("malformed multipart/form-data: ", why));
}

struct FileCloser {
  void operator()(FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<FILE, FileCloser>;

// The value of parameter `name` in a header value like `form-data; name="job"; filename="a.csv"`
// (quoted or token), or nullopt.
std::optional<std::string> HeaderParameter(std::string_view value, std::string_view name) {
  size_t pos = 0;
  while (pos < value.size()) {
    size_t semicolon = value.find(';', pos);
    if (semicolon == std::string_view::npos) return std::nullopt;
    pos = semicolon + 1;
    while (pos < value.size() && value[pos] == ' ') ++pos;
    size_t equals = value.find('=', pos);
    if (equals == std::string_view::npos) return std::nullopt;
    std::string_view key =
        FromAbsl(absl::StripAsciiWhitespace(ToAbsl(value.substr(pos, equals - pos))));
    pos = equals + 1;
    std::string parsed;
    if (pos < value.size() && value[pos] == '"') {
      ++pos;
      while (pos < value.size() && value[pos] != '"') {
        if (value[pos] == '\\' && pos + 1 < value.size()) ++pos;
        parsed.push_back(value[pos++]);
      }
      ++pos;  // the closing quote
    } else {
      size_t end = value.find(';', pos);
      if (end == std::string_view::npos) end = value.size();
      parsed = std::string(absl::StripAsciiWhitespace(ToAbsl(value.substr(pos, end - pos))));
      pos = end;
    }
    if (absl::EqualsIgnoreCase(ToAbsl(key), ToAbsl(name))) return parsed;
  }
  return std::nullopt;
}

// Reads one part's header block ("Name: value" lines, CRLF each; the blank line excluded).
absl::Status ParsePartHeaders(std::string_view block, MultipartPart* part) {
  bool disposition = false;
  while (!block.empty()) {
    size_t end = block.find("\r\n");
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view() : block.substr(end + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("a part header without ':'");
    std::string_view header = line.substr(0, colon);
    std::string_view value = FromAbsl(absl::StripAsciiWhitespace(ToAbsl(line.substr(colon + 1))));
    if (absl::EqualsIgnoreCase(ToAbsl(header), "Content-Disposition")) {
      disposition = true;
      std::optional<std::string> name = HeaderParameter(value, "name");
      if (!name.has_value() || name->empty()) return Malformed("a part without a name");
      part->name = *std::move(name);
      part->filename = HeaderParameter(value, "filename").value_or("");
    } else if (absl::EqualsIgnoreCase(ToAbsl(header), "Content-Type")) {
      part->content_type = std::string(value);
    }
  }
  if (!disposition) return Malformed("a part without Content-Disposition");
  return absl::OkStatus();
}

}  // namespace

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  size_t semicolon = content_type.find(';');
  std::string_view type = content_type.substr(0, semicolon);
  if (!absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(ToAbsl(type)), "multipart/form-data")) {
    return std::nullopt;
  }
  std::optional<std::string> boundary = HeaderParameter(content_type, "boundary");
  // RFC 2046: 1 to 70 characters.
  if (!boundary.has_value() || boundary->empty() || boundary->size() > 70) return std::nullopt;
  return boundary;
}

absl::StatusOr<std::vector<MultipartPart>> SplitMultipart(const std::string& body_path,
                                                          std::string_view boundary,
                                                          const std::string& out_dir,
                                                          size_t max_parts) {
  File in(std::fopen(body_path.c_str(), "rb"));
  if (in == nullptr) return ErrnoToStatus(errno, "open", body_path);
  // Every delimiter is CRLF + "--" + boundary; the body's first one may lack the CRLF, so the
  // scan starts as if one preceded the body.
  const std::string delimiter = StrCat("\r\n--", boundary);
  enum class State { kPreamble, kAfterDelimiter, kHeaders, kBody, kDone };
  State state = State::kPreamble;
  std::string buffer = "\r\n";
  std::vector<MultipartPart> parts;
  File out;
  std::string chunk(kReadChunk, '\0');
  bool eof = false;

  auto write = [&](std::string_view data) -> absl::Status {
    if (data.empty()) return absl::OkStatus();
    if (std::fwrite(data.data(), 1, data.size(), out.get()) != data.size()) {
      return ErrnoToStatus(errno, "write", parts.back().path);
    }
    parts.back().bytes += data.size();
    return absl::OkStatus();
  };

  while (state != State::kDone) {
    bool progressed = true;
    while (progressed && state != State::kDone) {
      progressed = false;
      std::string_view view(buffer);
      switch (state) {
        case State::kPreamble: {
          size_t found = view.find(delimiter);
          if (found == std::string_view::npos) {
            // Keep what could be the start of a delimiter.
            if (buffer.size() > delimiter.size()) {
              buffer.erase(0, buffer.size() - delimiter.size());
            }
            break;
          }
          buffer.erase(0, found + delimiter.size());
          state = State::kAfterDelimiter;
          progressed = true;
          break;
        }
        case State::kAfterDelimiter: {
          if (view.size() < 2) break;
          if (view.substr(0, 2) == "--") {
            state = State::kDone;
            break;
          }
          // RFC 2046 allows transport padding (spaces, tabs) before the CRLF.
          size_t crlf = view.find("\r\n");
          if (crlf == std::string_view::npos) {
            if (view.size() > 256) return Malformed("no line break after a boundary");
            break;
          }
          if (view.substr(0, crlf).find_first_not_of(" \t") != std::string_view::npos) {
            return Malformed("text after a boundary");
          }
          buffer.erase(0, crlf + 2);
          state = State::kHeaders;
          progressed = true;
          break;
        }
        case State::kHeaders: {
          size_t end = view.find("\r\n\r\n");
          if (end == std::string_view::npos ? view.size() > kMaxPartHeaderBytes
                                            : end > kMaxPartHeaderBytes) {
            return Malformed("part headers too long");
          }
          if (end == std::string_view::npos) break;
          if (parts.size() >= max_parts) {
            return Malformed(StrCat("more than ", max_parts, " parts"));
          }
          MultipartPart& part = parts.emplace_back();
          PADAN_RETURN_IF_ERROR(ParsePartHeaders(view.substr(0, end), &part));
          part.path = StrCat(out_dir, "/part-", parts.size() - 1);
          out.reset(std::fopen(part.path.c_str(), "wb"));
          if (out == nullptr) return ErrnoToStatus(errno, "create", part.path);
          buffer.erase(0, end + 4);
          state = State::kBody;
          progressed = true;
          break;
        }
        case State::kBody: {
          size_t found = view.find(delimiter);
          if (found == std::string_view::npos) {
            // Everything but a possible delimiter prefix at the end is content.
            if (buffer.size() >= delimiter.size()) {
              size_t keep = delimiter.size() - 1;
              PADAN_RETURN_IF_ERROR(write(view.substr(0, buffer.size() - keep)));
              buffer.erase(0, buffer.size() - keep);
            }
            break;
          }
          PADAN_RETURN_IF_ERROR(write(view.substr(0, found)));
          if (std::fclose(out.release()) != 0)
            return ErrnoToStatus(errno, "close", parts.back().path);
          buffer.erase(0, found + delimiter.size());
          state = State::kAfterDelimiter;
          progressed = true;
          break;
        }
        case State::kDone:
          break;
      }
    }
    if (state == State::kDone) break;
    if (eof) {
      return Malformed(state == State::kPreamble ? "no boundary found"
                                                 : "the closing boundary is missing");
    }
    size_t got = std::fread(chunk.data(), 1, chunk.size(), in.get());
    if (got < chunk.size()) {
      if (std::ferror(in.get())) return ErrnoToStatus(errno, "read", body_path);
      eof = true;
    }
    buffer.append(chunk.data(), got);
  }
  return parts;
}

}  // namespace padan
