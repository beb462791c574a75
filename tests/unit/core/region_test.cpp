#include <station/core/region.hpp>

#include <gtest/gtest.h>

namespace station::core {
namespace {

TEST(Region, NaRoutesToNaDataCenter) {
    EXPECT_EQ(data_center_for(Region::na), DataCenter::na);
    EXPECT_EQ(default_base_url(DataCenter::na), "https://na.airvantage.net");
}

TEST(Region, GlobalRoutesToEuDataCenter) {
    EXPECT_EQ(data_center_for(Region::global), DataCenter::eu);
    EXPECT_EQ(default_base_url(DataCenter::eu), "https://eu.airvantage.net");
}

TEST(Region, NamesRoundTrip) {
    for (auto region : {Region::na, Region::global}) {
        EXPECT_EQ(region_from_string(to_string(region)), region);
    }
    for (auto dc : {DataCenter::na, DataCenter::eu}) {
        EXPECT_EQ(data_center_from_string(to_string(dc)), dc);
    }
    EXPECT_FALSE(region_from_string("eu"));
    EXPECT_FALSE(data_center_from_string("global"));
    EXPECT_FALSE(region_from_string("NA"));
}

TEST(Region, DataCenterOfAHostComesFromTheRoutingTable) {
    EXPECT_EQ(data_center_of_host("na.airvantage.net"), DataCenter::na);
    EXPECT_EQ(data_center_of_host("eu.airvantage.net"), DataCenter::eu);
    EXPECT_EQ(data_center_of_host("EU.AirVantage.NET."), DataCenter::eu);
    EXPECT_FALSE(data_center_of_host("airvantage.net"));
    EXPECT_FALSE(data_center_of_host("eu.airvantage.net.example"));
    EXPECT_FALSE(data_center_of_host("127.0.0.1"));
    EXPECT_FALSE(data_center_of_host(""));
}

}  // namespace
}  // namespace station::core
