// `--format pdf`: the HTML report printed by Debian's chromium in headless
// mode, so the PDF is the same page a reader opens (print CSS included).
#pragma once

#include <string>

#include "netvet/common.h"

namespace netvet::cli {

// The PDF bytes of `html`, or an error that says how to get chromium when it
// is not installed (looked up on PATH as chromium, then chromium-browser).
Expected<std::string> print_pdf(const std::string& html);

}  // namespace netvet::cli
