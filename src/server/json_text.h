// JSON written straight to text, for the service's large or frequent
// responses (the notification list, the access graph): building them as a
// nlohmann tree first cost most of their CPU, in allocations.
#pragma once

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace netvet::server {

// A JSON string literal appended to `out`. ASCII is escaped here; text with
// other bytes goes through nlohmann, which also refuses invalid UTF-8.
inline void append_json_string(std::string& out, std::string_view s) {
  if (std::any_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; })) {
    out += nlohmann::json(std::string(s)).dump();
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          out += "\\u00";
          out += kHex[ch >> 4];
          out += kHex[ch & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace netvet::server
