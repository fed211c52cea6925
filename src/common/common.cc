#include "netvet/common.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cstring>

namespace netvet {

std::string SourceLoc::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  } else if (!pointer.empty()) {
    out += ":" + pointer;
  }
  return out;
}

Status Status::with_context(std::string_view context) const {
  if (is_ok()) return *this;
  return Status(code_, std::string(context) + ": " + message_, loc_);
}

std::string Status::to_string() const {
  if (is_ok()) return "OK";
  std::string where = loc_.to_string();
  return where.empty() ? message_ : where + ": " + message_;
}

void Diagnostics::error(SourceLoc loc, std::string message) {
  ++error_count_;
  if (error_count_ <= limit_) items_.push_back({DiagLevel::kError, std::move(loc), std::move(message)});
}
void Diagnostics::warning(SourceLoc loc, std::string message) {
  if (items_.size() < limit_ * 2) items_.push_back({DiagLevel::kWarning, std::move(loc), std::move(message)});
}
void Diagnostics::note(SourceLoc loc, std::string message) {
  if (items_.size() < limit_ * 2) items_.push_back({DiagLevel::kNote, std::move(loc), std::move(message)});
}

void Diagnostics::merge(const Diagnostics& other) {
  for (const auto& d : other.items_) {
    if (d.level == DiagLevel::kError) {
      error(d.loc, d.message);
    } else {
      items_.push_back(d);
    }
  }
  // Errors the other list dropped over its limit still count here.
  size_t dropped = other.error_count_ - std::count_if(other.items_.begin(), other.items_.end(),
                                                      [](const Diagnostic& d) { return d.level == DiagLevel::kError; });
  error_count_ += dropped;
}

std::string Diagnostics::format() const {
  std::string out;
  size_t shown = 0;
  for (const auto& d : items_) {
    std::string where = d.loc.to_string();
    if (!where.empty()) out += where + ": ";
    out += d.level == DiagLevel::kError ? "error: " : d.level == DiagLevel::kWarning ? "warning: " : "note: ";
    out += d.message;
    out += '\n';
    if (d.level == DiagLevel::kError) ++shown;
  }
  if (error_count_ > shown) {
    out += std::to_string(error_count_ - shown) + " more error(s) not shown (limit " + std::to_string(limit_) + ")\n";
  }
  return out;
}

Status Diagnostics::to_status() const {
  if (!has_errors()) return Status::ok();
  std::string text = format();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return Status::bad_input(text);
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      bool same =
          std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  size_t best = SIZE_MAX;
  std::string_view best_word;
  for (auto c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best) {
      best = d;
      best_word = c;
    }
  }
  // Plausible typo: at most a third of the word wrong, and never more than 3 edits.
  size_t allowed = std::min<size_t>(3, std::max<size_t>(1, word.size() / 3));
  if (best_word.empty() || best > allowed) return std::nullopt;
  return std::string(best_word);
}

// Days-from-civil (Howard Hinnant's algorithm): exact for the proleptic Gregorian calendar.
Date Date::from_ymd(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date{era * 146097 + static_cast<int>(doe) - 719468};
}

static void civil_from_days(int32_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

std::optional<Date> Date::parse(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](size_t pos, size_t len, int& out) {
    auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return r.ec == std::errc() && r.ptr == s.data() + pos + len;
  };
  int y, m, d;
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int dim = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > dim) return std::nullopt;
  return from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string Date::to_string() const {
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

int Date::year() const {
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  return y;
}

StringPool::StringPool() { intern(""); }

uint64_t StringPool::hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

void StringPool::prefetch(uint64_t hash) const {
  if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
}

char* StringPool::store(std::string_view s) {
  if (chunks_.empty() || chunk_used_ + s.size() > chunk_size_) {
    chunk_size_ = std::max<size_t>(256 * 1024, s.size());
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(chunk_size_));
    chunk_used_ = 0;
  }
  char* p = chunks_.back().get() + chunk_used_;
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  chunk_used_ += s.size();
  return p;
}

size_t StringPool::probe(std::string_view s, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Id slot = slots_[i];
    if (slot == 0) return i;
    if (hashes_[slot - 1] == hash && views_[slot - 1] == s) return i;
  }
}

void StringPool::rehash(size_t slots) {
  slots_.assign(slots, 0);
  const size_t mask = slots - 1;
  for (Id id = 0; id < views_.size(); ++id) {
    size_t i = hashes_[id] & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = id + 1;
  }
}

void StringPool::reserve(size_t strings) {
  views_.reserve(strings);
  hashes_.reserve(strings);
  size_t want = std::bit_ceil(std::max<size_t>(16, 2 * strings));
  if (want > slots_.size()) rehash(want);
}

StringPool::Id StringPool::intern(std::string_view s) { return intern(s, hash(s)); }

StringPool::Id StringPool::intern(std::string_view s, uint64_t hash) {
  if (2 * (views_.size() + 1) > slots_.size()) rehash(std::max<size_t>(16, 2 * slots_.size()));
  const size_t i = probe(s, hash);
  if (slots_[i] != 0) return slots_[i] - 1;
  Id id = static_cast<Id>(views_.size());
  views_.emplace_back(store(s), s.size());
  hashes_.push_back(hash);
  slots_[i] = id + 1;
  return id;
}

std::optional<StringPool::Id> StringPool::find(std::string_view s) const {
  if (slots_.empty()) return std::nullopt;
  size_t i = probe(s, hash(s));
  if (slots_[i] == 0) return std::nullopt;
  return slots_[i] - 1;
}

StringPool StringPool::copy() const {
  StringPool out;
  size_t bytes = 0;
  for (auto v : views_) bytes += v.size();
  out.chunks_.clear();
  out.chunks_.push_back(std::make_unique_for_overwrite<char[]>(std::max<size_t>(bytes, 1)));
  out.chunk_size_ = out.chunk_used_ = bytes;
  char* p = out.chunks_.back().get();
  out.views_.resize(views_.size());
  for (size_t i = 0; i < views_.size(); ++i) {
    if (!views_[i].empty()) std::memcpy(p, views_[i].data(), views_[i].size());
    out.views_[i] = std::string_view(p, views_[i].size());
    p += views_[i].size();
  }
  out.hashes_ = hashes_;
  out.slots_ = slots_;
  return out;
}

static constexpr std::string_view kClassNames[] = {"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET",
                                                   "TOP-SECRET"};

std::string_view classification_name(Classification c) { return kClassNames[static_cast<int>(c)]; }

std::optional<Classification> parse_classification(std::string_view s) {
  std::string up;
  for (char ch : s)
    up += ch == '_' || ch == ' ' ? '-' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  for (int i = 0; i < 5; ++i)
    if (up == kClassNames[i]) return static_cast<Classification>(i);
  return std::nullopt;
}

static constexpr std::string_view kSeverityNames[] = {"info", "low", "medium", "high", "critical"};

std::string_view severity_name(Severity s) { return kSeverityNames[static_cast<int>(s)]; }

std::optional<Severity> parse_severity(std::string_view s) {
  for (int i = 0; i < 5; ++i)
    if (s == kSeverityNames[i]) return static_cast<Severity>(i);
  return std::nullopt;
}

std::string normalize_name(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s)
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  return out;
}

std::string markup_escape(std::string_view s) {
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
