// netvet common vocabulary: Status, Expected, source locations, diagnostics,
// calendar dates and string interning. Every stage uses these; none of them
// touches files, threads or the clock, so they are safe to use from any thread
// as long as each object is used by one thread at a time.
//
//   netvet::Diagnostics diags;
//   diags.error({"net.yaml", 12, 7}, "unknown vendor \"Huawai\" (did you mean \"Huawei\"?)");
//   if (diags.has_errors()) std::cerr << diags.format();   // net.yaml:12:7: error: ...
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace netvet {

inline constexpr const char* kEngineVersion = "0.1.0";

// Where something came from: file plus 1-based line and column, or a JSON
// pointer when the reader only knows the path. line == 0 means "unknown".
struct SourceLoc {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string pointer;  // e.g. "/components/3/vendor" (JSON readers may set both)

  // "file:line:col", "file:/pointer", "file", or "" as available.
  std::string to_string() const;
};

// A closed list of failure kinds; pick the most specific.
enum class Code : uint8_t {
  kOk = 0,
  kBadInput,            // the user's input is malformed or inconsistent (exit 2)
  kNotFound,            // a named thing (file, rule, vendor, jurisdiction) does not exist (exit 2)
  kFailedPrecondition,  // the request is well-formed but cannot run in this state (exit 2)
  kIo,                  // reading or writing a file failed (exit 2)
  kInternal,            // a bug in netvet (exit 3)
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message, SourceLoc loc = {})
      : code_(code), message_(std::move(message)), loc_(std::move(loc)) {}

  static Status ok() { return {}; }
  static Status bad_input(std::string m, SourceLoc l = {}) { return {Code::kBadInput, std::move(m), std::move(l)}; }
  static Status not_found(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status failed_precondition(std::string m) { return {Code::kFailedPrecondition, std::move(m)}; }
  static Status io(std::string m) { return {Code::kIo, std::move(m)}; }
  static Status internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const SourceLoc& loc() const { return loc_; }

  // Prefixes context the way leveldb joins "msg: msg2".
  Status with_context(std::string_view context) const;
  // "file:line:col: message" when a location is known, else the message.
  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  SourceLoc loc_;
};

// A value or an error, shaped like C++23 std::expected so it can be swapped later.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}       // NOLINT: implicit like std::expected
  Expected(Status error) : v_(std::move(error)) {}  // NOLINT
  explicit Expected() = delete;

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Status& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Status> v_;
};

enum class DiagLevel : uint8_t { kError, kWarning, kNote };

struct Diagnostic {
  DiagLevel level = DiagLevel::kError;
  SourceLoc loc;
  std::string message;
};

// Collects every problem found in an input so the user sees all of them at once.
// Stops recording (but keeps counting) after `limit` errors, so a hostile file
// cannot make the error list itself the denial of service.
class Diagnostics {
 public:
  explicit Diagnostics(size_t limit = 50) : limit_(limit) {}

  void error(SourceLoc loc, std::string message);
  void warning(SourceLoc loc, std::string message);
  void note(SourceLoc loc, std::string message);

  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  bool full() const { return error_count_ >= limit_; }
  size_t limit() const { return limit_; }
  const std::vector<Diagnostic>& items() const { return items_; }
  void merge(const Diagnostics& other);

  // One line per diagnostic: "file:line:col: error: message", then a summary
  // line if some were dropped over the limit.
  std::string format() const;
  // A Status summarising the errors (kBadInput), or OK when there are none.
  Status to_status() const;

 private:
  size_t limit_;
  size_t error_count_ = 0;
  std::vector<Diagnostic> items_;
};

// The closest candidate by edit distance, if close enough to be a plausible typo.
// Comparison ignores case. Used for every "did you mean" in netvet.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);
size_t edit_distance(std::string_view a, std::string_view b);

// A calendar date as days since 1970-01-01 (proleptic Gregorian). Dates in
// netvet are whole days: instruments set deadlines by day, not by instant.
struct Date {
  int32_t days = 0;

  static std::optional<Date> parse(std::string_view iso);  // strict YYYY-MM-DD
  static Date from_ymd(int y, unsigned m, unsigned d);
  std::string to_string() const;  // YYYY-MM-DD
  int year() const;

  friend bool operator==(Date a, Date b) { return a.days == b.days; }
  friend auto operator<=>(Date a, Date b) { return a.days <=> b.days; }
};

// Interns strings so columns hold 32-bit ids instead of std::string.
// Id 0 is always the empty string. Views stay valid while the pool lives
// (strings are stored in stable chunks). The index is a flat open-addressing
// table of ids with each string's hash kept beside it: one probe, usually one
// cache line, per lookup, which is what makes loading 10^6 components cheap.
class StringPool {
 public:
  using Id = uint32_t;
  StringPool();
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;
  StringPool(StringPool&&) noexcept = default;
  StringPool& operator=(StringPool&&) noexcept = default;

  Id intern(std::string_view s);
  std::optional<Id> find(std::string_view s) const;
  // For a bulk reader: hash a string when it is read and prefetch its slot,
  // intern it a little later (the slot's cache miss overlaps the work between).
  static uint64_t hash(std::string_view s);
  void prefetch(uint64_t hash) const;
  Id intern(std::string_view s, uint64_t hash);
  std::string_view view(Id id) const { return views_[id]; }
  size_t size() const { return views_.size(); }
  void reserve(size_t strings);
  // A copy with the same ids, built without re-hashing (for Network clone()).
  StringPool copy() const;

 private:
  char* store(std::string_view s);
  size_t probe(std::string_view s, uint64_t hash) const;  // slot holding s, or the empty slot
  void rehash(size_t slots);
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_used_ = 0, chunk_size_ = 0;
  std::vector<std::string_view> views_;
  std::vector<uint64_t> hashes_;  // per id
  std::vector<Id> slots_;         // id + 1; 0 = empty. Size is a power of two, at most half full.
};

// Security classifications in increasing order. Disclosure compares them.
enum class Classification : uint8_t { kUnclassified, kRestricted, kConfidential, kSecret, kTopSecret };
std::string_view classification_name(Classification c);                  // "UNCLASSIFIED", "TOP-SECRET", ...
std::optional<Classification> parse_classification(std::string_view s);  // case-insensitive; TOP_SECRET too

enum class Severity : uint8_t { kInfo, kLow, kMedium, kHigh, kCritical };
std::string_view severity_name(Severity s);  // "info" ... "critical"
std::optional<Severity> parse_severity(std::string_view s);

// Lower-cases and drops everything but letters and digits: the key vendor
// aliases match on, so "HUAWEI TECHNOLOGIES CO., LTD." == "Huawei Technologies Co Ltd".
std::string normalize_name(std::string_view s);

// Text escaped for HTML and XML (the HTML report, GraphML): & < > " ' (as &#39;,
// valid in both) and drops the control characters XML 1.0 forbids (all below
// 0x20 except tab, LF and CR).
std::string markup_escape(std::string_view s);

}  // namespace netvet
