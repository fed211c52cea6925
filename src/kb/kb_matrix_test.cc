// The KB as law, over every example: each rule's binding status and in-force
// window against the table kept beside the packs (kb/rule-status.tsv, written
// from the fact sheet, so a pack edit that changes what binds or when fails
// here) and against docs/kb.md's rule tables; one obligation, one finding (rules
// the table puts in one obligation never name the same component on one date);
// and no output naming this project's files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <variant>

#include <nlohmann/json.hpp>

#include "netvet/assess.h"
#include "netvet/io.h"
#include "netvet/kb.h"
#include "netvet/model.h"
#include "netvet/policy.h"
#include "netvet/report.h"

namespace netvet {
namespace {

namespace fs = std::filesystem;
const std::string kSource = NETVET_SOURCE_DIR;

struct Row {
  std::string binding, from, until, obligation;
};

std::map<std::string, Row> read_status_table() {
  std::ifstream in(kSource + "/kb/rule-status.tsv");
  std::map<std::string, Row> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::string id;
    Row r;
    std::getline(ss, id, '\t');
    std::getline(ss, r.binding, '\t');
    std::getline(ss, r.from, '\t');
    std::getline(ss, r.until, '\t');
    std::getline(ss, r.obligation, '\t');
    if (r.obligation.empty()) r.obligation = id;
    EXPECT_TRUE(rows.emplace(id, r).second) << "duplicate row " << id;
  }
  return rows;
}

class KbMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    diags_ = new Diagnostics;
    kb_ = load_kb(kSource + "/kb", {}, *diags_, &validate_rule).release();
  }
  static void TearDownTestSuite() {
    delete kb_;
    delete diags_;
  }
  static KnowledgeBase* kb_;
  static Diagnostics* diags_;
};
KnowledgeBase* KbMatrix::kb_ = nullptr;
Diagnostics* KbMatrix::diags_ = nullptr;

// What users read never points at the maintainers' research notes.
bool names_research_notes(const std::string& text) {
  return text.find("policies.md") != std::string::npos || text.find("fact sheet") != std::string::npos;
}

std::string date_or_empty(const std::optional<Date>& d) { return d ? d->to_string() : ""; }

TEST_F(KbMatrix, EveryRuleBindsAndRunsAsTheStatusTableSays) {
  ASSERT_TRUE(kb_) << diags_->format();
  const auto table = read_status_table();
  ASSERT_FALSE(table.empty()) << "kb/rule-status.tsv is missing or empty";
  std::set<std::string> seen;
  for (const auto& [code, j] : kb_->jurisdictions) {
    for (const RuleSpec& r : j.rules) {
      seen.insert(r.id);
      auto it = table.find(r.id);
      if (it == table.end()) {
        ADD_FAILURE() << r.id << " is not in kb/rule-status.tsv";
        continue;
      }
      EXPECT_EQ(it->second.binding, r.binding && !r.unconfirmed ? "binding" : "advisory") << r.id;
      EXPECT_EQ(it->second.from, date_or_empty(r.effective_from)) << r.id;
      EXPECT_EQ(it->second.until, date_or_empty(r.effective_until)) << r.id;
    }
  }
  for (const auto& [id, row] : table) EXPECT_TRUE(seen.count(id)) << id << " is in the table but in no pack";
}

TEST_F(KbMatrix, DocsListEveryRuleWithItsStatusAndWindow) {
  ASSERT_TRUE(kb_) << diags_->format();
  std::ifstream in(kSource + "/docs/kb.md");
  std::stringstream doc;
  doc << in.rdbuf();
  for (const auto& [code, j] : kb_->jurisdictions) {
    for (const RuleSpec& r : j.rules) {
      const std::string binding =
          r.unconfirmed ? "advisory, UNCONFIRMED" : (r.binding ? "binding" : "advisory");
      std::string until = date_or_empty(r.effective_until);
      const std::string row = "| `" + r.id + "` | " + r.kind + " | " + binding + " | " +
                              date_or_empty(r.effective_from) + " .." + (until.empty() ? "" : " " + until) + " |";
      EXPECT_NE(doc.str().find(row), std::string::npos)
          << "docs/kb.md lacks \"" << row << "\" (python3 scripts/kb-rule-tables.py . regenerates the tables)";
    }
  }
}

struct Example {
  std::string name;
  Network network;
  std::optional<Proposal> proposal;
};

// The examples as written, and each YAML example again with every Huawei vendor
// written as ZTE: rules split by vendor (the UK 2020 advice for Huawei until the DVD
// takes it over, for the other HRVs after) must not overlap for ZTE either.
std::string huawei_as_zte(const std::string& yaml) {
  static const std::regex kHuawei(R"re(vendor: *("Huawei[^"]*"|Huawei[^,}\n]*))re", std::regex::icase);
  return std::regex_replace(yaml, kHuawei, "vendor: ZTE Corporation");
}

std::vector<Example> load_examples() {
  std::vector<Example> out;
  for (const auto& dir : fs::directory_iterator(kSource + "/examples")) {
    std::vector<fs::path> networks, proposals;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      const std::string n = f.path().filename().string();
      if (n.rfind("network", 0) == 0) networks.push_back(f.path());
      if (n.rfind("proposal", 0) == 0) proposals.push_back(f.path());
    }
    for (bool as_zte : {false, true}) {
      for (const auto& np : networks) {
        if (as_zte && np.extension() != ".yaml") continue;
        const std::string suffix = as_zte ? " (Huawei written as ZTE)" : "";
        Diagnostics d;
        auto text = read_file(np.string());
        EXPECT_TRUE(text.has_value()) << np;
        if (!text.has_value()) continue;
        auto net = np.extension() == ".yaml"
                       ? parse_network_yaml(as_zte ? huawei_as_zte(*text) : *text, np.string(), d)
                       : parse_network_json(*text, np.string(), d);
        EXPECT_TRUE(net.has_value()) << np << suffix << "\n" << d.format();
        if (!net.has_value()) continue;
        out.push_back({np.string() + suffix, clone(*net), std::nullopt});
        for (const auto& pp : proposals) {
          auto ptext = read_file(pp.string());
          EXPECT_TRUE(ptext.has_value()) << pp;
          if (!ptext.has_value()) continue;
          auto prop = parse_proposal_yaml(as_zte ? huawei_as_zte(*ptext) : *ptext, pp.string(), d);
          EXPECT_TRUE(prop.has_value()) << pp << suffix << "\n" << d.format();
          if (prop.has_value()) {
            out.push_back({np.string() + " + " + pp.filename().string() + suffix, clone(*net), clone(*prop)});
          }
        }
      }
    }
  }
  return out;
}

// Every date on which some rule of the pack starts, ends or falls due, and the
// day after: where obligations change hands.
std::set<int32_t> dates_of(const Jurisdiction& j) {
  std::set<int32_t> days;
  auto add = [&](const std::optional<Date>& d) {
    if (!d) return;
    days.insert(d->days);
    days.insert(d->days + 1);
  };
  for (const RuleSpec& r : j.rules) {
    add(r.effective_from);
    add(r.effective_until);
    // A deadline's last allowed day (its `by`): the day after, it is overdue.
    auto by = r.params.find("by");
    if (by != r.params.end()) {
      if (const auto* s = std::get_if<std::string>(&by->second)) add(Date::parse(*s));
    }
  }
  return days;
}

TEST_F(KbMatrix, OneObligationOneFindingInEveryExampleOnEveryDate) {
  ASSERT_TRUE(kb_) << diags_->format();
  const auto examples = load_examples();
  ASSERT_FALSE(examples.empty());
  // The rewrite reaches the Huawei equipment (else the ZTE half would test nothing).
  const std::string uk = *read_file(kSource + "/examples/uk-operator/network.yaml");
  ASSERT_FALSE(std::regex_search(huawei_as_zte(uk), std::regex(R"(vendor: *"?huawei)", std::regex::icase)));
  ASSERT_NE(huawei_as_zte(uk), uk);
  const auto table = read_status_table();
  size_t runs = 0;
  for (const auto& [code, j] : kb_->jurisdictions) {
    for (int32_t day : dates_of(j)) {
      for (const Example& ex : examples) {
        AssessOptions o;
        o.jurisdiction = code;
        o.date = Date{day};
        o.graph_metrics = false;
        auto a = assess(AssessInput{ex.network, ex.proposal ? &*ex.proposal : nullptr, *kb_, o});
        ASSERT_TRUE(a.has_value()) << ex.name << " " << code << ": " << a.error().message();
        ++runs;
        // obligation -> component id -> the rule that named it
        std::map<std::string, std::map<std::string, std::string>> named;
        for (const Finding& f : a->findings) {
          auto row = table.find(f.rule);
          const std::string obligation = row == table.end() ? f.rule : row->second.obligation;
          for (ComponentIdx c : f.components) {
            auto [it, fresh] = named[obligation].emplace(std::string(a->network->component_id(c)), f.rule);
            EXPECT_TRUE(fresh || it->second == f.rule)
                << ex.name << ", " << code << " on " << Date{day}.to_string() << ": " << it->first
                << " is named by " << it->second << " and by " << f.rule << ", one obligation (" << obligation << ")";
          }
        }
        for (const std::string& out : {write_assessment_json(*a), write_assessment_text(*a, false, true)}) {
          EXPECT_FALSE(names_research_notes(out)) << ex.name << ", " << code << " on " << Date{day}.to_string();
        }
      }
    }
  }
  EXPECT_GT(runs, 100u);
  RecordProperty("assessments", static_cast<int>(runs));
}

TEST_F(KbMatrix, KbShowNamesNoProjectFile) {
  ASSERT_TRUE(kb_) << diags_->format();
  std::vector<std::string> names;
  for (const auto& [code, j] : kb_->jurisdictions) {
    names.push_back(code);
    for (const RuleSpec& r : j.rules) names.push_back(r.id);
  }
  for (const Vendor& v : kb_->vendors) names.push_back(v.id);
  EXPECT_FALSE(names_research_notes(kb_list_text(*kb_)));
  for (const auto& n : names) {
    auto text = kb_show_text(*kb_, n, Date::parse("2024-01-01"));
    ASSERT_TRUE(text) << n;
    EXPECT_FALSE(names_research_notes(*text)) << "kb show " << n;
  }
}

// The published JSON Schema (docs/formats/policy-pack.schema.json) lists the
// selector names by hand for editors; a name the model gains or loses must show there.
TEST(PackSchema, SelectorNamesAreTheModels) {
  std::ifstream in(kSource + "/docs/formats/policy-pack.schema.json");
  ASSERT_TRUE(in) << "docs/formats/policy-pack.schema.json is missing";
  const auto schema = nlohmann::json::parse(in);
  const auto& fields = schema.at("$defs").at("selector").at("properties");
  auto names_in_schema = [&](const char* field) {
    std::set<std::string> out;
    for (const auto& n : fields.at(field).at("oneOf").at(0).at("enum")) out.insert(n.get<std::string>());
    return out;
  };
  auto as_set = [](const std::vector<std::string_view>& v) { return std::set<std::string>(v.begin(), v.end()); };
  EXPECT_EQ(names_in_schema("function"), as_set(function_names()));
  EXPECT_EQ(names_in_schema("domain"), as_set(domain_names()));
  EXPECT_EQ(names_in_schema("generation"), as_set(generation_names()));
}

}  // namespace
}  // namespace netvet
