// `netvet kb list` and `netvet kb show <jurisdiction|vendor|rule-id> [--date D]`:
// read the knowledge base the assessments use, so an analyst can check which
// instrument a rule encodes and from when, and what a vendor spelling resolves to.
#include <iostream>

#include "commands.h"
#include "netvet/engine.h"

namespace netvet::cli {
namespace {

// Loads the KB (and overlays) or prints every problem; the CLI exit code for a
// broken KB is 2 (bad input), since the KB is data the user can fix. Rules are
// validated by policy/ exactly as `netvet assess` validates them, so `kb list`
// doubles as a lint.
SharedKb load_or_report(const Globals& g, const std::vector<std::string>& overlays) {
  Diagnostics diags;
  SharedKb kb = engine::load_kb_dir(g.kb_dir, diags);
  if (kb && !overlays.empty()) kb = engine::with_overlay_files(kb, overlays, diags);
  if (!diags.items().empty() && (!kb || !g.quiet)) std::cerr << diags.format();
  if (!kb) std::cerr << "netvet: cannot load the knowledge base from " << g.kb_dir << "\n";
  return kb;
}

// The marking and withheld notice above what `kb` prints at a clearance.
std::string banner(const KbView& view, Classification clearance) {
  std::string s;
  if (view.highest_kept != Classification::kUnclassified)
    s += "Classification: " + std::string(classification_name(view.highest_kept)) + "\n";
  for (const auto& [level, n] : view.withheld)
    s += "Withheld: " + std::to_string(n) + " " + std::string(classification_name(level)) + " KB entr" +
         (n == 1 ? "y" : "ies") + " above your clearance (" + std::string(classification_name(clearance)) + ")\n";
  return s.empty() ? s : s + "\n";
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
  auto clearance_arg = std::make_shared<std::string>("UNCLASSIFIED");
  kb_cmd->add_option("--clearance", *clearance_arg,
                     "Reader's clearance: overlay content above it is left out and counted (default UNCLASSIFIED)")
      ->type_name("LEVEL");
  // The clearance, or nullopt after saying why it is not one.
  auto clearance_of = [clearance_arg]() -> std::optional<Classification> {
    auto c = parse_classification(*clearance_arg);
    if (!c)
      std::cerr << "netvet: --clearance: unknown level \"" << *clearance_arg
                << "\" (expected UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET or TOP-SECRET)\n";
    return c;
  };

  auto* list = kb_cmd->add_subcommand("list", "List jurisdictions (with rule counts) and vendors");
  list->callback([&g, &exit_code, overlays, clearance_of] {
    auto clearance = clearance_of();
    auto kb = clearance ? load_or_report(g, *overlays) : nullptr;
    if (!kb) {
      exit_code = kExitBadInput;
      return;
    }
    const KbView view = view_at(kb, *clearance);
    std::cout << banner(view, *clearance) << kb_list_text(*view.kb);
    exit_code = kExitOk;
  });

  auto what = std::make_shared<std::string>();
  auto date = std::make_shared<std::string>();
  auto* show = kb_cmd->add_subcommand(
      "show", "Show a jurisdiction as a dated timeline, a vendor (aliases, owner, designations) or a rule");
  show->add_option("name", *what, "Jurisdiction code (NZ), vendor id or spelling (huawei), or rule id")->required();
  show->add_option("--date", *date, "Mark what is in force on this day (YYYY-MM-DD)");
  show->callback([&g, &exit_code, overlays, what, date, clearance_of] {
    auto clearance = clearance_of();
    if (!clearance) {
      exit_code = kExitBadInput;
      return;
    }
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
    const KbView view = view_at(kb, *clearance);
    auto text = kb_show_text(*view.kb, *what, as_of);
    if (!text) {
      auto names = show_names(*view.kb);
      std::vector<std::string_view> views(names.begin(), names.end());
      std::cerr << "netvet: no jurisdiction, rule or vendor named \"" << *what << "\"";
      if (auto m = did_you_mean(*what, views)) std::cerr << " (did you mean \"" << *m << "\"?)";
      std::cerr << "; `netvet kb list` shows what the knowledge base holds\n";
      exit_code = kExitBadInput;
      return;
    }
    std::cout << banner(view, *clearance) << *text;
    exit_code = kExitOk;
  });
}

}  // namespace netvet::cli
