// Phase timings on request (NETVET_PROFILE=1 in the CLI). Library code never
// prints or reads the environment: a caller that wants timings passes a sink,
// and each phase calls it once with its wall time. A null sink costs one
// branch per phase.
//
//   netvet::PhaseSink sink = [](std::string_view phase, double ms) { ... };
//   GraphOptions o; o.profile = &sink;      // graph-build, exposure, attribution, paths
//   { netvet::PhaseTimer t(&sink, "rules"); evaluate(...); }
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

namespace netvet {

using PhaseSink = std::function<void(std::string_view phase, double ms)>;

// Times its own lifetime and reports it to `sink` (if any) as `phase`.
class PhaseTimer {
 public:
  PhaseTimer(const PhaseSink* sink, std::string_view phase) : sink_(sink && *sink ? sink : nullptr), phase_(phase) {
    if (sink_) start_ = std::chrono::steady_clock::now();
  }
  ~PhaseTimer() {
    if (sink_)
      (*sink_)(phase_, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count());
  }
  PhaseTimer(const PhaseTimer&) = delete;
  PhaseTimer& operator=(const PhaseTimer&) = delete;

 private:
  const PhaseSink* sink_;
  std::string_view phase_;
  std::chrono::steady_clock::time_point start_{};
};

}  // namespace netvet
