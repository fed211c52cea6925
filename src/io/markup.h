// Private to io/: text escaped for HTML and XML (the HTML report, GraphML).
#pragma once

#include <string>
#include <string_view>

namespace netvet {

// Escapes & < > " ' (as &#39;, valid in both HTML and XML 1.0) and drops the
// control characters XML 1.0 forbids (all below 0x20 except tab, LF and CR).
inline std::string markup_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

}  // namespace netvet
