// The regression night's per-slot pipeline (station/workflows/regress_pipeline): a slot begins
// its next iteration as soon as its own unit is done, never while it is still busy, and a stop
// or a failed run begins no further unit. The runs here are fakes: one thread per slot calling
// the hooks as the pallet engine does (turn, then free when the unit's verdict is not ERROR,
// then done), with no router and no sleeping.
#include <station/workflows/regress_pipeline.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace station::workflows {
namespace {

struct Mark {
    std::string slot;
    int iteration = 0;
    char what = ' ';  // 'b' began its unit, 'e' ended it
    SlotTurn turn = SlotTurn::none;
};

// What a fake slot does in one iteration; returns whether its unit's verdict was clean (not
// ERROR, so slot_free is called).
using Behaviour = std::function<bool(const std::string& slot, int iteration)>;

class FakeNight {
  public:
    FakeNight(std::vector<std::string> labels, Behaviour behaviour)
        : m_labels(std::move(labels)), m_behaviour(std::move(behaviour)) {
        for (const auto& l : m_labels) m_slots.push_back({l, "", ""});
    }

    std::vector<core::Result<RunSummary>> run(int iterations, const std::atomic<bool>* stop,
                                              int failing_iteration = 0) {
        SlotPipeline pipeline(m_slots, iterations, stop);
        return pipeline.run([&](int i, SlotPipeline::Hooks hooks) -> core::Result<RunSummary> {
            if (i == failing_iteration) {
                return core::fail(core::Reason::store_error, "iteration cannot be recorded");
            }
            return one_run(i, hooks, stop);
        });
    }

    std::vector<Mark> marks() const {
        const std::lock_guard lock(m_lock);
        return m_marks;
    }

  private:
    RunSummary one_run(int i, const SlotPipeline::Hooks& hooks, const std::atomic<bool>* stop) {
        RunSummary summary;
        std::vector<std::thread> threads;
        std::mutex units;
        for (const auto& label : m_labels) {
            threads.emplace_back([&, label] {
                const SlotTurn turn = hooks.turn(label);
                if (turn != SlotTurn::none) {
                    note({label, i, 'b', turn});
                    const bool clean = m_behaviour(label, i);
                    note({label, i, 'e', turn});
                    if (clean) hooks.free(label);
                    UnitResult unit;
                    unit.slot = label;
                    const std::lock_guard guard(units);
                    summary.units.push_back(std::move(unit));
                }
                hooks.done(label);
            });
        }
        for (auto& t : threads) t.join();
        summary.stopped = stop && stop->load();
        return summary;
    }

    void note(Mark m) {
        const std::lock_guard lock(m_lock);
        m_marks.push_back(std::move(m));
    }

    std::vector<std::string> m_labels;
    std::vector<SlotTarget> m_slots;
    Behaviour m_behaviour;
    mutable std::mutex m_lock;
    std::vector<Mark> m_marks;
};

std::vector<Mark> of_slot(const std::vector<Mark>& marks, const std::string& slot) {
    std::vector<Mark> out;
    for (const auto& m : marks) {
        if (m.slot == slot) out.push_back(m);
    }
    return out;
}

TEST(RegressPipeline, EachSlotRunsItsIterationsInOrderOneAtATime) {
    FakeNight night({"S1", "S2", "S3"}, [](const std::string&, int) { return true; });
    const auto runs = night.run(4, nullptr);
    ASSERT_EQ(runs.size(), 4U);
    for (const auto& r : runs) {
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(r->units.size(), 3U);
    }
    const auto marks = night.marks();
    for (const std::string slot : {"S1", "S2", "S3"}) {
        const auto mine = of_slot(marks, slot);
        ASSERT_EQ(mine.size(), 8U) << slot;
        for (std::size_t k = 0; k < mine.size(); ++k) {
            EXPECT_EQ(mine[k].iteration, static_cast<int>(k / 2) + 1) << slot << " mark " << k;
            EXPECT_EQ(mine[k].what, k % 2 == 0 ? 'b' : 'e') << slot << " mark " << k;
        }
    }
}

TEST(RegressPipeline, AFastSlotIsNotHeldByASlowOne) {
    // S1's first unit lasts until S2 has ended its third: with a barrier between iterations
    // (every slot waiting for the slowest), S2 could never get there and S1 would give up.
    std::promise<void> fast_done;
    auto fast = fast_done.get_future().share();
    std::atomic<bool> slow_saw_fast{false};
    FakeNight night({"S1", "S2"}, [&](const std::string& slot, int i) {
        if (slot == "S1" && i == 1) {
            slow_saw_fast = fast.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
        }
        if (slot == "S2" && i == 3) fast_done.set_value();
        return true;
    });
    const auto runs = night.run(3, nullptr);
    EXPECT_TRUE(slow_saw_fast.load());
    ASSERT_EQ(runs.size(), 3U);
    for (const auto& r : runs) EXPECT_TRUE(r.has_value());
}

TEST(RegressPipeline, AUnitEndedInErrorTellsItsSlotsNextTurn) {
    FakeNight night({"S1", "S2"},
                    [](const std::string& slot, int i) { return !(slot == "S1" && i == 1); });
    ASSERT_EQ(night.run(2, nullptr).size(), 2U);
    for (const auto& m : night.marks()) {
        const bool after_error = m.slot == "S1" && m.iteration == 2;
        EXPECT_EQ(m.turn, after_error ? SlotTurn::after_error : SlotTurn::begin)
            << m.slot << " iteration " << m.iteration;
    }
}

TEST(RegressPipeline, AStopBeginsNoFurtherUnit) {
    std::atomic<bool> stop{false};
    FakeNight night({"S1", "S2", "S3"}, [&](const std::string&, int i) {
        if (i == 2) stop = true;
        return true;
    });
    const auto runs = night.run(5, &stop);
    EXPECT_LE(runs.size(), 3U);  // the third may have been begun early, with no unit in it
    for (const auto& m : night.marks()) EXPECT_LE(m.iteration, 2) << m.slot;
    if (runs.size() == 3U) {
        ASSERT_TRUE(runs[2].has_value());
        EXPECT_TRUE(runs[2]->units.empty());
    }
}

TEST(RegressPipeline, AFailedRunEndsTheNightWithoutHanging) {
    FakeNight night({"S1", "S2"}, [](const std::string&, int) { return true; });
    const auto runs = night.run(4, nullptr, 2);
    ASSERT_GE(runs.size(), 2U);
    EXPECT_TRUE(runs[0].has_value());
    ASSERT_FALSE(runs[1].has_value());
    EXPECT_NE(runs[1].error().message.find("cannot be recorded"), std::string::npos);
    for (const auto& m : night.marks()) EXPECT_EQ(m.iteration, 1) << m.slot;
}

}  // namespace
}  // namespace station::workflows
