// `netvet kb list` and `netvet kb show <jurisdiction|vendor|rule-id> [--date D]`:
// read the knowledge base the assessments use, so an analyst can check which
// instrument a rule encodes and from when, and what a vendor spelling resolves to.
#include <iostream>

#include "commands.h"
#include "netvet/kb.h"
#include "netvet/policy.h"

namespace netvet::cli {
namespace {

// Loads the KB or prints every problem; the CLI exit code for a broken KB is 2
// (bad input), since the KB is data the user can fix. Rules are validated by
// policy/ exactly as `netvet assess` validates them, so `kb list` doubles as a lint.
std::unique_ptr<KnowledgeBase> load_or_report(const Globals& g, const std::vector<std::string>& overlays) {
  Diagnostics diags;
  auto kb = load_kb(g.kb_dir, overlays, diags, &netvet::validate_rule);
  if (!diags.items().empty() && (!kb || !g.quiet)) std::cerr << diags.format();
  if (!kb) std::cerr << "netvet: cannot load the knowledge base from " << g.kb_dir << "\n";
  return kb;
}

// Every name `kb show` accepts, for "did you mean".
std::vector<std::string> show_names(const KnowledgeBase& kb) {
  std::vector<std::string> names;
  for (const auto& [code, j] : kb.jurisdictions) {
    names.push_back(code);
    for (const auto* r : kb.rules_for(j)) names.push_back(r->id);
  }
  for (const auto& v : kb.vendors) {
    names.push_back(v.id);
    names.push_back(v.name);
    for (const auto& a : v.aliases) names.push_back(a);
  }
  return names;
}

}  // namespace

void register_kb(CLI::App& app, Globals& g, int& exit_code) {
  auto* kb_cmd = app.add_subcommand("kb", "Inspect the knowledge base: jurisdictions, rules and vendors");
  kb_cmd->require_subcommand(1);
  // `kb show NZ --kb-overlay F` reads naturally; let list/show pass the option up.
  kb_cmd->fallthrough();
  auto overlays = std::make_shared<std::vector<std::string>>();
  kb_cmd->add_option("--kb-overlay", *overlays, "Classified overlay file(s) to include")->check(CLI::ExistingFile);

  auto* list = kb_cmd->add_subcommand("list", "List jurisdictions (with rule counts) and vendors");
  list->callback([&g, &exit_code, overlays] {
    auto kb = load_or_report(g, *overlays);
    if (!kb) {
      exit_code = kExitBadInput;
      return;
    }
    std::cout << kb_list_text(*kb);
    exit_code = kExitOk;
  });

  auto what = std::make_shared<std::string>();
  auto date = std::make_shared<std::string>();
  auto* show = kb_cmd->add_subcommand(
      "show", "Show a jurisdiction as a dated timeline, a vendor (aliases, owner, designations) or a rule");
  show->add_option("name", *what, "Jurisdiction code (NZ), vendor id or spelling (huawei), or rule id")->required();
  show->add_option("--date", *date, "Mark what is in force on this day (YYYY-MM-DD)");
  show->callback([&g, &exit_code, overlays, what, date] {
    std::optional<Date> as_of;
    if (!date->empty()) {
      as_of = Date::parse(*date);
      if (!as_of) {
        std::cerr << "netvet: bad --date \"" << *date << "\": expected YYYY-MM-DD\n";
        exit_code = kExitBadInput;
        return;
      }
    }
    auto kb = load_or_report(g, *overlays);
    if (!kb) {
      exit_code = kExitBadInput;
      return;
    }
    auto text = kb_show_text(*kb, *what, as_of);
    if (!text) {
      auto names = show_names(*kb);
      std::vector<std::string_view> views(names.begin(), names.end());
      std::cerr << "netvet: no jurisdiction, rule or vendor named \"" << *what << "\"";
      if (auto m = did_you_mean(*what, views)) std::cerr << " (did you mean \"" << *m << "\"?)";
      std::cerr << "; `netvet kb list` shows what the knowledge base holds\n";
      exit_code = kExitBadInput;
      return;
    }
    std::cout << *text;
    exit_code = kExitOk;
  });
}

}  // namespace netvet::cli
