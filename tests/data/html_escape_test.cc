#include "data/html_escape.h"

#include "gtest/gtest.h"

namespace padan {
namespace {

TEST(HtmlEscapeTest, ReplacesMarkupCharactersOnly) {
  EXPECT_EQ(HtmlEscape(R"(<b a="1" c='2'>Siti & Ani</b>)"),
            "&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;Siti &amp; Ani&lt;/b&gt;");
  EXPECT_EQ(HtmlEscape("Nur Rahmah, RT 005"), "Nur Rahmah, RT 005");
  EXPECT_EQ(HtmlEscape(""), "");
}

}  // namespace
}  // namespace padan
