#include "netvet/common.h"

#include <gtest/gtest.h>

namespace netvet {

TEST(Date, RoundTripsAndRejectsImpossibleDays) {
  auto d = Date::parse("2018-11-28");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to_string(), "2018-11-28");
  EXPECT_EQ(Date::parse("2024-02-29")->to_string(), "2024-02-29");
  EXPECT_FALSE(Date::parse("2023-02-29"));
  EXPECT_FALSE(Date::parse("2023-13-01"));
  EXPECT_FALSE(Date::parse("2023-1-01"));
  EXPECT_EQ(Date::parse("1970-01-01")->days, 0);
  EXPECT_EQ(Date::parse("2027-12-31")->days - Date::parse("2027-01-01")->days, 364);
  EXPECT_EQ(Date::parse("2023-12-31")->year(), 2023);
}

TEST(Diagnostics, FormatsLocationsAndCountsOverLimit) {
  Diagnostics d(2);
  d.error({"n.yaml", 3, 7, {}}, "first");
  d.error({"n.yaml", 4, 1, {}}, "second");
  d.error({"n.yaml", 5, 1, {}}, "third");
  EXPECT_EQ(d.error_count(), 3u);
  EXPECT_EQ(d.format(), "n.yaml:3:7: error: first\nn.yaml:4:1: error: second\n1 more error(s) not shown (limit 2)\n");
  EXPECT_EQ(d.to_status().code(), Code::kBadInput);
}

TEST(DidYouMean, SuggestsCloseWordsOnly) {
  std::vector<std::string_view> names{"gnb", "enb", "amf", "router"};
  EXPECT_EQ(did_you_mean("rooter", names), "router");
  EXPECT_EQ(did_you_mean("AMF", names), "amf");
  EXPECT_FALSE(did_you_mean("quantum", names));
}

TEST(StringPool, InternsOnceAndKeepsViews) {
  StringPool p;
  auto a = p.intern("huawei");
  for (int i = 0; i < 100000; ++i) p.intern("x" + std::to_string(i));
  EXPECT_EQ(p.intern("huawei"), a);
  EXPECT_EQ(p.view(a), "huawei");
  EXPECT_EQ(p.view(0), "");
}

TEST(Names, NormalizeAndClassifications) {
  EXPECT_EQ(normalize_name("HUAWEI TECHNOLOGIES CO., LTD."), normalize_name("Huawei Technologies Co Ltd"));
  EXPECT_EQ(parse_classification("top_secret"), Classification::kTopSecret);
  EXPECT_EQ(classification_name(Classification::kTopSecret), "TOP-SECRET");
  EXPECT_FALSE(parse_classification("cosmic"));
  EXPECT_LT(Classification::kRestricted, Classification::kSecret);
}

}  // namespace netvet
