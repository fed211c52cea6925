// The assessment digest: sha256 over a canonical serialization of everything
// that decides the output bytes. Same digest => same inputs => same bytes, so a
// stored assessment can be checked against a re-run and two agencies can tell
// whether they assessed the same notification.
//
// Canonical form: every value is written as a tagged, length-prefixed token,
// so no content (an id containing a separator, say) can make two different
// inputs serialize alike. Rows are written in table order: order can change
// tie-breaks (which shortest path is shown), so it is part of the input.
// File names and source lines are left out on purpose: re-indenting a YAML file
// or moving it does not change what was assessed.
#include <fmt/format.h>
#include <openssl/evp.h>

#include <charconv>
#include <cstring>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <type_traits>

#include "netvet/assess.h"

namespace netvet {
namespace {

// Streams tokens into sha256 contexts through a small buffer, so hashing a
// national network does not first build a second copy of it in memory. Several
// contexts hash the same tokens but for one value each may differ (the
// reader's clearance): the digests of several clearances in one pass over the network.
// The buffer is a plain array written through a cursor: at 10^6 components
// the digest runs beside the rules on the second core and its per-token
// cost (std::string appends) was most of its time.
class Canon {
 public:
  explicit Canon(size_t contexts = 1) {
    for (size_t i = 0; i < contexts; ++i) {
      ctxs_.emplace_back(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
      if (!ctxs_.back() || EVP_DigestInit_ex(ctxs_.back().get(), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("sha256 init failed");
    }
    buf_ = std::make_unique<char[]>(kSize);
  }

  // One string token per context, each as str() would write it.
  void str_each(const std::vector<std::string_view>& values) {
    flush();
    for (size_t i = 0; i < ctxs_.size(); ++i) {
      str(values.at(i));
      update(*ctxs_[i], buf_.get(), used_);
      used_ = 0;
    }
  }

  void tag(std::string_view t) {
    bytes(t);
    bytes("\n");
  }
  void str(std::string_view s) {
    integer('s', s.size(), ':');
    bytes(s);
  }
  void num(uint64_t v) { integer('u', v, ';'); }
  void real(double v) {
    // fmt's "{}" is the shortest round-trip form: stable for a given double.
    if (std::isnan(v)) return bytes("dnan;");
    char* p = room(kToken);
    used_ = static_cast<size_t>(fmt::format_to_n(p, kToken, "d{};", v).out - buf_.get());
  }
  // to_chars, not fmt: the same bytes, and this runs once or more per row.
  void integer(char prefix, uint64_t v, char suffix) {
    char* p = room(kToken);
    *p++ = prefix;
    p = std::to_chars(p, p + 20, v).ptr;
    *p++ = suffix;
    used_ = static_cast<size_t>(p - buf_.get());
  }
  void flag(bool b) { bytes(b ? "t;" : "f;"); }
  void opt_date(const std::optional<Date>& d) {
    if (d)
      str(d->to_string());
    else
      bytes("n;");
  }

  std::vector<std::string> finish() {
    flush();
    std::vector<std::string> out;
    for (auto& ctx : ctxs_) {
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      if (EVP_DigestFinal_ex(ctx.get(), md, &len) != 1) throw std::runtime_error("sha256 final failed");
      std::string hex;
      hex.reserve(len * 2);
      for (unsigned i = 0; i < len; ++i) fmt::format_to(std::back_inserter(hex), "{:02x}", md[i]);
      out.push_back(std::move(hex));
    }
    return out;
  }

 private:
  static constexpr size_t kSize = 64 * 1024;
  static constexpr size_t kToken = 48;  // room for one number token: prefix, up to 24 digits or a double, suffix

  // Room for n bytes at the cursor (n <= kSize), flushing first if needed.
  char* room(size_t n) {
    if (kSize - used_ < n) flush();
    return buf_.get() + used_;
  }
  void bytes(std::string_view s) {
    if (s.empty()) return;  // an empty view's data() may be null, which memcpy must not get
    if (s.size() > kSize / 2) {  // a long value goes to the hash as it is
      flush();
      for (auto& ctx : ctxs_) update(*ctx, s.data(), s.size());
      return;
    }
    std::memcpy(room(s.size()), s.data(), s.size());
    used_ += s.size();
  }
  void flush() {
    for (auto& ctx : ctxs_) update(*ctx, buf_.get(), used_);
    used_ = 0;
  }
  static void update(EVP_MD_CTX& ctx, const char* data, size_t n) {
    if (n && EVP_DigestUpdate(&ctx, data, n) != 1) throw std::runtime_error("sha256 update failed");
  }
  std::vector<std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>> ctxs_;
  std::unique_ptr<char[]> buf_;
  size_t used_ = 0;
};

void write_tags(Canon& c, const Network& net, const TagColumn& tags, uint32_t row) {
  // A TagColumn may be shorter than its table when a reader never pushed rows.
  if (row + 1 >= tags.offsets.size()) {
    c.num(0);
    return;
  }
  auto r = tags.row(row);
  c.num(r.size());
  for (StrId t : r) c.str(net.str(t));
}

void write_network(Canon& c, const Network& net, bool with_links) {
  c.tag("network");
  c.str(net.netvet_version);
  c.str(net.operator_name);
  c.str(net.country);

  const auto& s = net.sites;
  c.tag("sites");
  c.num(s.size());
  for (SiteIdx i = 0; i < s.size(); ++i) {
    c.str(net.str(s.id[i]));
    c.str(net.str(s.name[i]));
    c.str(net.str(s.region[i]));
    c.real(s.lat[i]);
    c.real(s.lon[i]);
    write_tags(c, net, s.tags, i);
  }

  const auto& k = net.components;
  c.tag("components");
  c.num(k.size());
  for (ComponentIdx i = 0; i < k.size(); ++i) {
    c.str(net.str(k.id[i]));
    c.str(net.str(k.name[i]));
    c.str(function_name(k.function[i]));
    c.str(generation_name(k.generation[i]));
    c.str(net.str(k.vendor[i]));
    c.str(net.str(k.model[i]));
    c.str(net.str(k.software[i]));
    c.str(k.site[i] == kNone || k.site[i] >= s.size() ? std::string_view{} : net.site_id(k.site[i]));
    c.str(k.parent[i] == kNone || k.parent[i] >= k.size() ? std::string_view{} : net.component_id(k.parent[i]));
    c.num(k.subscribers[i]);
    c.num(k.cells[i]);
    write_tags(c, net, k.tags, i);
  }

  if (with_links) {
    // Ends by row index: component order is already hashed above, and writing
    // 32-bit indices keeps hashing 10^6 links cheap.
    const auto& l = net.links;
    c.tag("links");
    c.num(l.size());
    for (LinkIdx i = 0; i < l.size(); ++i) {
      c.num(l.a[i]);
      c.num(l.b[i]);
      c.str(interface_name(l.interface[i]));
      c.num(l.protection[i]);
    }
  }

  const auto& z = net.sensitive;
  c.tag("sensitive");
  c.num(z.size());
  for (uint32_t i = 0; i < z.size(); ++i) {
    c.str(net.str(z.id[i]));
    c.str(net.str(z.name[i]));
    c.real(z.lat[i]);
    c.real(z.lon[i]);
    c.real(z.radius_km[i]);
    c.str(sensitive_kind_name(z.kind[i]));
  }
}

template <typename T>
void opt(Canon& c, const std::optional<T>& v) {
  c.flag(v.has_value());
  if (!v) return;
  if constexpr (std::is_same_v<T, std::string>)
    c.str(*v);
  else if constexpr (std::is_same_v<T, Function>)
    c.str(function_name(*v));
  else if constexpr (std::is_same_v<T, Generation>)
    c.str(generation_name(*v));
  else if constexpr (std::is_same_v<T, Interface>)
    c.str(interface_name(*v));
  else
    c.num(static_cast<uint64_t>(*v));
}

void write_proposal(Canon& c, const Proposal& p) {
  c.tag("proposal");
  c.str(p.title);
  write_network(c, p.add, /*with_links=*/false);
  c.tag("refs");
  c.num(p.add_site_ref.size());
  for (const auto& r : p.add_site_ref) c.str(r);
  c.num(p.add_parent_ref.size());
  for (const auto& r : p.add_parent_ref) c.str(r);
  c.tag("remove");
  c.num(p.remove_components.size());
  for (const auto& [id, _] : p.remove_components) c.str(id);
  c.num(p.remove_sites.size());
  for (const auto& [id, _] : p.remove_sites) c.str(id);
  c.num(p.remove_links.size());
  for (const auto& l : p.remove_links) {
    c.str(l.a);
    c.str(l.b);
    opt(c, l.interface);
  }
  c.tag("change");
  c.num(p.change.size());
  for (const auto& ch : p.change) {
    c.str(ch.id);
    opt(c, ch.vendor);
    opt(c, ch.model);
    opt(c, ch.software);
    opt(c, ch.site);
    opt(c, ch.name);
    opt(c, ch.function);
    opt(c, ch.generation);
    opt(c, ch.subscribers);
    opt(c, ch.cells);
  }
  c.tag("add_links");
  c.num(p.add_links.size());
  for (const auto& l : p.add_links) {
    c.str(l.a);
    c.str(l.b);
    c.str(interface_name(l.interface));
    c.num(l.protection);
  }
}

void write_citation(Canon& c, const Citation& ci) {
  c.str(ci.instrument);
  c.str(ci.section);
  c.str(ci.url);
  c.str(ci.fact);
}

void write_selector(Canon& c, const Selector& s) {
  c.tag("sel");
  c.num(s.all.size());
  for (const auto& cl : s.all) {
    c.str(cl.field);
    c.num(cl.values.size());
    for (const auto& v : cl.values) c.str(v);
  }
  c.num(s.any.size());
  for (const auto& a : s.any) write_selector(c, a);
  c.num(s.not_.size());
  for (const auto& n : s.not_) write_selector(c, n);
}

void write_rule(Canon& c, const RuleSpec& r) {
  c.tag("rule");
  c.str(r.id);
  c.str(r.title);
  c.str(r.kind);
  write_selector(c, r.where);
  c.num(r.params.size());
  for (const auto& [name, value] : r.params) {  // std::map: sorted by name
    c.str(name);
    c.num(value.index());
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, double>) {
            c.real(v);
          } else if constexpr (std::is_same_v<V, std::string>) {
            c.str(v);
          } else if constexpr (std::is_same_v<V, std::vector<std::string>>) {
            c.num(v.size());
            for (const auto& s : v) c.str(s);
          } else {
            write_selector(c, v);
          }
        },
        value);
  }
  c.opt_date(r.effective_from);
  c.opt_date(r.effective_until);
  c.str(severity_name(r.severity));
  c.flag(r.binding);
  c.flag(r.unconfirmed);
  c.str(classification_name(r.classification));
  write_citation(c, r.citation);
  c.str(r.note);
}

void write_kb(Canon& c, const KnowledgeBase& kb, const Jurisdiction& j) {
  c.tag("kb");
  c.str(kb.version);
  c.tag("vendors");
  c.num(kb.vendors.size());
  for (const auto& v : kb.vendors) {
    c.str(v.id);
    c.str(v.name);
    c.num(v.aliases.size());
    for (const auto& a : v.aliases) c.str(a);
    c.str(v.country);
    c.str(v.parent);
    c.num(v.designations.size());
    for (const auto& d : v.designations) {
      c.str(d.by);
      c.str(d.list);
      c.str(d.since.to_string());
      c.opt_date(d.until);
      c.str(d.scope);
      c.num(d.limited_to.size());
      for (const auto& u : d.limited_to) c.str(u);
      c.flag(d.unconfirmed);
      write_citation(c, d.citation);
    }
  }
  c.tag("jurisdiction");
  c.str(j.code);
  c.str(j.name);
  c.str(j.authority);
  c.num(j.risk_criteria.size());
  for (const auto& rc : j.risk_criteria) {
    c.num(rc.designated_by.size());
    for (const auto& b : rc.designated_by) c.str(b);
    c.num(rc.headquarters_in.size());
    for (const auto& h : rc.headquarters_in) c.str(h);
    c.opt_date(rc.since);
    c.str(rc.reason);
    write_citation(c, rc.citation);
  }
  c.num(j.rules.size());
  for (const auto& r : j.rules) write_rule(c, r);
  // Overlays change what is found (and withheld), so they are inputs too. The
  // digest reveals that some overlay was used, never its content.
  c.tag("overlays");
  c.num(kb.overlays.size());
  for (const auto& o : kb.overlays) {
    c.str(classification_name(o.classification));
    c.str(o.jurisdiction);
    c.num(o.rules.size());
    for (const auto& r : o.rules) write_rule(c, r);
    c.num(o.vendor_assessments.size());
    for (const auto& va : o.vendor_assessments) {
      c.str(va.vendor);
      c.num(static_cast<uint64_t>(va.risk));
      c.opt_date(va.since);
      c.str(va.reason);
    }
  }
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("sha256 failed");
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) fmt::format_to(std::back_inserter(hex), "{:02x}", md[i]);
  return hex;
}

std::vector<std::string> assessment_digests(const Network& network, const Proposal* proposal,
                                            const KnowledgeBase& kb, const Jurisdiction& jurisdiction,
                                            const AssessOptions& options,
                                            const std::vector<Classification>& clearances) {
  Canon c(clearances.size());
  c.tag("netvet-assessment-digest 1");
  c.str(kEngineVersion);
  c.str(jurisdiction.code);
  c.str(options.date.to_string());
  std::vector<std::string_view> names;
  for (Classification level : clearances) names.push_back(classification_name(level));
  c.str_each(names);
  c.flag(options.graph_metrics);
  write_network(c, network, /*with_links=*/true);
  c.flag(proposal != nullptr);
  if (proposal) write_proposal(c, *proposal);
  write_kb(c, kb, jurisdiction);
  std::vector<std::string> out = c.finish();
  for (auto& d : out) d = "sha256:" + d;
  return out;
}

std::string assessment_digest(const Network& network, const Proposal* proposal, const KnowledgeBase& kb,
                              const Jurisdiction& jurisdiction, const AssessOptions& options) {
  return assessment_digests(network, proposal, kb, jurisdiction, options, {options.clearance}).front();
}

}  // namespace netvet
