// Internal to the importers: splits a large JSON text into records without
// building a DOM of the whole file, and turns byte offsets into line:column.
//
// The scanner only finds record boundaries (strings, escapes and bracket depth);
// each record is then parsed on its own with simdjson's DOM parser, reused, so
// memory is the input buffer plus the largest record.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "netvet/common.h"
#include "netvet/import.h"

namespace netvet::importer {

// Line/column of byte offsets, cheap when offsets are asked for in increasing order
// (the usual case: records are visited front to back).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : text_(text) {}
  LineCol at(size_t offset) {
    if (offset > text_.size()) offset = text_.size();
    if (offset < pos_) pos_ = 0, line_ = 1, line_start_ = 0;
    while (pos_ < offset) {
      const void* nl = std::memchr(text_.data() + pos_, '\n', offset - pos_);
      if (!nl) {
        pos_ = offset;
        break;
      }
      size_t at = static_cast<const char*>(nl) - text_.data();
      ++line_;
      line_start_ = at + 1;
      pos_ = at + 1;
    }
    return {line_, static_cast<uint32_t>(offset - line_start_ + 1)};
  }
  SourceLoc loc(const std::string& file, size_t offset) {
    LineCol lc = at(offset);
    return {file, lc.line, lc.column, {}};
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
};

// Walks JSON structure byte by byte. Never reads past text.size().
class JsonScanner {
 public:
  JsonScanner(std::string_view text, size_t max_depth) : t_(text), max_depth_(max_depth) {
    // A UTF-8 byte order mark is legal noise before the value (Windows exports).
    if (t_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }
  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }
  bool at_end() {
    skip_ws();
    return pos_ >= t_.size();
  }
  char peek() {
    skip_ws();
    return pos_ < t_.size() ? t_[pos_] : '\0';
  }
  bool consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  void skip_ws() {
    while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\n' || t_[pos_] == '\r' || t_[pos_] == '\t')) ++pos_;
  }
  // Reads a string token into `out` (escapes other than \" \\ \/ kept verbatim:
  // keys and hints never need them). Returns false with error() set.
  bool read_string(std::string* out) {
    if (peek() != '"') return fail("expected a string");
    size_t start = ++pos_;
    while (true) {
      const char* q = static_cast<const char*>(std::memchr(t_.data() + pos_, '"', t_.size() - pos_));
      if (!q) return fail("unterminated string", start - 1);
      size_t at = q - t_.data();
      // Count the backslashes before the quote: an odd number escapes it.
      size_t bs = 0;
      while (at - bs > start && t_[at - bs - 1] == '\\') ++bs;
      pos_ = at + 1;
      if (bs % 2 == 0) {
        if (out) out->assign(t_.data() + start, at - start);
        return true;
      }
    }
  }
  // Skips one value of any type, checking bracket balance and depth.
  bool skip_value() {
    skip_ws();
    if (pos_ >= t_.size()) return fail("unexpected end of input, expected a value");
    char c = t_[pos_];
    if (c == '"') return read_string(nullptr);
    if (c == '{' || c == '[') {
      // Iterative, so hostile nesting cannot overflow the stack.
      std::string stack;
      while (true) {
        skip_ws();
        if (pos_ >= t_.size())
          return fail("unexpected end of input inside " + std::string(stack.back() == '{' ? "an object" : "an array"));
        char ch = t_[pos_];
        if (ch == '"') {
          if (!read_string(nullptr)) return false;
          continue;
        }
        if (ch == '{' || ch == '[') {
          stack.push_back(ch);
          if (stack.size() > max_depth_) return fail("nesting deeper than " + std::to_string(max_depth_));
          ++pos_;
          continue;
        }
        if (ch == '}' || ch == ']') {
          char open = ch == '}' ? '{' : '[';
          if (stack.empty() || stack.back() != open) return fail(std::string("unexpected '") + ch + "'");
          stack.pop_back();
          ++pos_;
          if (stack.empty()) return true;
          continue;
        }
        if (stack.empty()) return fail("internal scanner state");
        ++pos_;  // scalars, commas and colons: simdjson checks them when the record is parsed
      }
    }
    // A scalar: runs to the next delimiter.
    size_t start = pos_;
    while (pos_ < t_.size() && !std::strchr(",]} \t\r\n:", t_[pos_])) ++pos_;
    if (pos_ == start) return fail(std::string("unexpected '") + c + "'");
    return true;
  }
  const std::string& error() const { return err_; }
  size_t error_pos() const { return err_pos_; }

  bool fail(std::string msg, size_t at = SIZE_MAX) {
    err_ = std::move(msg);
    err_pos_ = at == SIZE_MAX ? pos_ : at;
    return false;
  }

 private:
  std::string_view t_;
  size_t pos_ = 0;
  size_t max_depth_;
  std::string err_;
  size_t err_pos_ = 0;
};

// Iterates the elements of the array that starts at the scanner's position,
// calling fn(begin, end) for each. Returns false with the scanner's error set.
inline bool for_each_element(JsonScanner& s, const std::function<bool(size_t, size_t)>& fn) {
  if (!s.consume('[')) return s.fail("expected '['");
  if (s.consume(']')) return true;
  while (true) {
    s.skip_ws();
    size_t b = s.pos();
    if (!s.skip_value()) return false;
    if (!fn(b, s.pos())) return false;
    if (s.consume(',')) continue;
    if (s.consume(']')) return true;
    return s.fail("expected ',' or ']' after an array element");
  }
}

// Iterates an object's members: fn(key, value_begin) must leave the scanner
// after the value (skip it or read it).
inline bool for_each_member(JsonScanner& s, const std::function<bool(const std::string&, size_t)>& fn) {
  if (!s.consume('{')) return s.fail("expected '{'");
  if (s.consume('}')) return true;
  std::string key;
  while (true) {
    if (!s.read_string(&key)) return false;
    if (!s.consume(':')) return s.fail("expected ':' after an object key");
    s.skip_ws();
    if (!fn(key, s.pos())) return false;
    if (s.consume(',')) continue;
    if (s.consume('}')) return true;
    return s.fail("expected ',' or '}' after an object member");
  }
}

// Reads a whole file into a simdjson padded buffer (so records can be parsed in
// place), enforcing the size limit before reading.
Expected<simdjson::padded_string> load_padded(const std::string& path, size_t max_bytes);

// Field helpers over simdjson DOM values; they never throw.
using simdjson::dom::element;
inline std::optional<element> field(element obj, std::string_view key) {
  if (!obj.is_object()) return std::nullopt;
  element v;
  if (obj.get_object().at_key(key).get(v) != simdjson::SUCCESS) return std::nullopt;
  if (v.is_null()) return std::nullopt;
  return v;
}
inline std::string_view str_field(element obj, std::string_view key) {
  auto v = field(obj, key);
  std::string_view s;
  if (v && v->get_string().get(s) == simdjson::SUCCESS) return s;
  return {};
}
inline std::optional<int64_t> int_field(element obj, std::string_view key) {
  auto v = field(obj, key);
  if (!v) return std::nullopt;
  int64_t i;
  if (v->get_int64().get(i) == simdjson::SUCCESS) return i;
  uint64_t u;
  if (v->get_uint64().get(u) == simdjson::SUCCESS && u <= static_cast<uint64_t>(INT64_MAX))
    return static_cast<int64_t>(u);
  double d;
  if (v->get_double().get(d) == simdjson::SUCCESS && d == static_cast<double>(static_cast<int64_t>(d)))
    return static_cast<int64_t>(d);
  return std::nullopt;
}
inline std::optional<double> num_field(element obj, std::string_view key) {
  auto v = field(obj, key);
  if (!v) return std::nullopt;
  double d;
  if (v->get_double().get(d) == simdjson::SUCCESS) return d;
  int64_t i;
  if (v->get_int64().get(i) == simdjson::SUCCESS) return static_cast<double>(i);
  uint64_t u;
  if (v->get_uint64().get(u) == simdjson::SUCCESS) return static_cast<double>(u);
  std::string_view s;  // NetBox serialises decimals as strings ("4.0", "-36.848461")
  if (v->get_string().get(s) == simdjson::SUCCESS && !s.empty()) {
    std::string tmp(s);
    char* end = nullptr;
    double r = std::strtod(tmp.c_str(), &end);
    if (end && *end == '\0') return r;
  }
  return std::nullopt;
}
inline std::optional<bool> bool_field(element obj, std::string_view key) {
  auto v = field(obj, key);
  bool b;
  if (v && v->get_bool().get(b) == simdjson::SUCCESS) return b;
  return std::nullopt;
}

}  // namespace netvet::importer
