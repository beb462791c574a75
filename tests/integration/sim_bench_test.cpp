// SimBench's pallet manifest: routersim writes it (--manifest) before its ports file, so a
// test that has ports() can hand manifest() to the station as the pallet's packing list.
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "sim_bench.hpp"

namespace {

std::string slurp(const std::string& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(SimBenchManifest, ListsTheUnitsWithAPartNumberInPortOrder) {
    const tests::SimBench bench({"xr90-na", "em7455-att", "xr90-global"}, {},
                                {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 3u) << "routersim did not start";
    EXPECT_EQ(slurp(bench.manifest()),
              "serial,imei,part_number,iccid\n"
              "XR9N2301280017,354125080012765,1104513,89014104273001549164\n"
              "XR9G2302140042,354125080177329,1104514,89332401001234567893\n");
    EXPECT_EQ(bench.ports()[0].fsn, "XR9N2301280017");
    EXPECT_EQ(bench.ports()[2].fsn, "XR9G2302140042");
}

}  // namespace
