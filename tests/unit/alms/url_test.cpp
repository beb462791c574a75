// Which base URLs the client accepts: https anywhere, plain http only on loopback.
#include <gtest/gtest.h>

#include <station/alms/url.hpp>

namespace station::alms {
namespace {

TEST(AlmsUrl, HttpsAndLoopbackHttpOnly) {
    struct Row {
        const char* url;
        bool ok;
        Scheme scheme;
        const char* normalised;
    };
    const Row rows[] = {
        {"https://na.airvantage.net", true, Scheme::https, "https://na.airvantage.net"},
        {"https://eu.airvantage.net/", true, Scheme::https, "https://eu.airvantage.net"},
        {"https://proxy.example:8443/alms/", true, Scheme::https,
         "https://proxy.example:8443/alms"},
        {"http://127.0.0.1:8080/na", true, Scheme::http_loopback, "http://127.0.0.1:8080/na"},
        {"http://localhost:1/eu", true, Scheme::http_loopback, "http://localhost:1/eu"},
        {"http://[::1]:99", true, Scheme::http_loopback, "http://[::1]:99"},
        {"http://na.airvantage.net", false, Scheme::https, ""},
        {"http://127.0.0.2", false, Scheme::https, ""},
        {"http://127.0.0.1.example.com", false, Scheme::https, ""},
        {"http://localhost.example.com", false, Scheme::https, ""},
        {"ftp://127.0.0.1", false, Scheme::https, ""},
        {"file:///etc/passwd", false, Scheme::https, ""},
        {"https://user:pw@na.airvantage.net", false, Scheme::https, ""},
        {"https://na.airvantage.net/?company=x", false, Scheme::https, ""},
        {"https://na.airvantage.net/#frag", false, Scheme::https, ""},
        {"na.airvantage.net", false, Scheme::https, ""},
        {"", false, Scheme::https, ""},
        {"https://", false, Scheme::https, ""},
    };
    for (const auto& row : rows) {
        const auto url = check_base_url(row.url, "test");
        ASSERT_EQ(url.has_value(), row.ok)
            << row.url << ": " << (url ? url->text : url.error().message);
        if (!row.ok) {
            EXPECT_EQ(url.error().message.find("pw@"), std::string::npos);
            continue;
        }
        EXPECT_EQ(url->scheme, row.scheme) << row.url;
        EXPECT_EQ(url->text, row.normalised);
    }
}

TEST(AlmsUrl, DisplayHidesUserInfo) {
    EXPECT_EQ(displayable_url("https://user:pw@host/x@y"), "https://***@host/x@y");
    EXPECT_EQ(displayable_url("ftp://a@b@host"), "ftp://***@host");
    EXPECT_EQ(displayable_url("https://host/p?q=a@b"), "https://host/p?q=a@b");
    EXPECT_EQ(displayable_url("no scheme@x"), "no scheme@x");
    const auto refused = check_base_url("ftp://user:pw@host", "test");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message.find("pw"), std::string::npos) << refused.error().message;
}

TEST(AlmsUrl, PercentEncoding) {
    EXPECT_EQ(percent_encode("imei:35-._~AZaz09"), "imei%3A35-._~AZaz09");
    EXPECT_EQ(percent_encode("a b&c=d/e?"), "a%20b%26c%3Dd%2Fe%3F");
    EXPECT_EQ(percent_encode(std::string("\xff\x00", 2)), "%FF%00");
    EXPECT_EQ(percent_encode(""), "");
}

}  // namespace
}  // namespace station::alms
