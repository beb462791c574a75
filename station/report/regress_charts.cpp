// Inline SVG, drawn by hand: a chart is a frame with axes and labels, then per series a
// polyline and one <circle> (or <rect>) per data point. Nights are the x axis, oldest left.
#include <station/report/regress_charts.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include <station/report/regress_common.hpp>

namespace station::report::regress_detail {
namespace {

constexpr std::size_t k_nights = 30;
constexpr char k_no_nights[] = "<p class=\"note\">no earlier nights</p>\n";

// The plot area of one chart, in SVG user units.
struct Frame {
    double width;
    double height;
    double left = 56;
    double right = 16;
    double top = 16;
    double bottom = 40;

    double plot_w() const { return width - left - right; }
    double plot_h() const { return height - top - bottom; }
    double x(std::size_t i, std::size_t n) const {
        if (n <= 1) return left + plot_w() / 2;
        return left + plot_w() * static_cast<double>(i) / static_cast<double>(n - 1);
    }
    double y(double value, double max) const {
        return top + plot_h() * (1.0 - (max > 0 ? std::clamp(value / max, 0.0, 1.0) : 0.0));
    }
};

// The last 30 distinct nights of the trend, oldest first.
std::vector<std::string> nights_of(const core::RegressReport& report) {
    std::set<std::string> all;
    for (const auto& point : report.trend) all.insert(point.night);
    std::vector<std::string> nights(all.begin(), all.end());
    if (nights.size() > k_nights) nights.erase(nights.begin(), nights.end() - k_nights);
    return nights;
}

std::size_t index_of(const std::vector<std::string>& list, const std::string& value) {
    return static_cast<std::size_t>(std::find(list.begin(), list.end(), value) - list.begin());
}

std::string svg_open(const Frame& f, const std::string& label) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"" +
           number(f.width, 0) + "\" height=\"" + number(f.height, 0) + "\" viewBox=\"0 0 " +
           number(f.width, 0) + " " + number(f.height, 0) + "\" aria-label=\"" + safe(label) +
           "\">\n<title>" + safe(label) + "</title>\n";
}

std::string text_at(double x, double y, const std::string& text, const char* anchor,
                    const std::string& extra = "") {
    return "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" text-anchor=\"" + anchor + "\"" +
           extra + ">" + safe(text) + "</text>\n";
}

// The axes group opened with its two lines: up the left edge and along the bottom of the plot.
std::string axis_lines(const Frame& f) {
    const double bottom = f.top + f.plot_h();
    return "<g class=\"axes\">\n<line x1=\"" + number(f.left) + "\" y1=\"" + number(f.top) +
           "\" x2=\"" + number(f.left) + "\" y2=\"" + number(bottom) + "\"/>\n<line x1=\"" +
           number(f.left) + "\" y1=\"" + number(bottom) + "\" x2=\"" + number(f.left + f.plot_w()) +
           "\" y2=\"" + number(bottom) + "\"/>\n";
}

// Both axes with their labels: y ticks at 0, half and max; the first and last night below.
std::string axes(const Frame& f, const std::vector<std::string>& nights, double max,
                 const std::string& y_label, const std::string& unit) {
    const double bottom = f.top + f.plot_h();
    std::string out = axis_lines(f);
    for (const double share : {0.0, 0.5, 1.0}) {
        out += text_at(f.left - 4, f.y(max * share, max) + 4, number(max * share, 0) + unit, "end");
    }
    if (!nights.empty()) {
        out += text_at(f.x(0, nights.size()), bottom + 16, nights.front(), "start");
        if (nights.size() > 1) {
            out +=
                text_at(f.x(nights.size() - 1, nights.size()), bottom + 16, nights.back(), "end");
        }
    }
    out += text_at(f.left + f.plot_w() / 2, f.height - 4, "night", "middle", " class=\"label\"");
    out += text_at(
        12, f.top + f.plot_h() / 2, y_label, "middle",
        " class=\"label\" transform=\"rotate(-90 12 " + number(f.top + f.plot_h() / 2) + ")\"");
    return out + "</g>\n";
}

// One data point: a circle with its slot, night and value, and a <title> to hover.
std::string point(double x, double y, const std::string& colour, const core::TrendPoint& p,
                  const char* series, const std::string& value) {
    return "<circle cx=\"" + number(x) + "\" cy=\"" + number(y) + "\" r=\"3\" fill=\"" + colour +
           "\" data-series=\"" + series + "\" data-slot=\"" + safe(p.slot) + "\" data-night=\"" +
           safe(p.night) + "\" data-value=\"" + value + "\"><title>" +
           safe(p.slot + " " + p.night + " " + series + " " + value) + "</title></circle>\n";
}

std::string polyline(const std::string& points, const std::string& colour, bool dashed) {
    if (points.find(' ') == std::string::npos) return "";  // one point: no line
    return "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"1.5\"" +
           (dashed ? " stroke-dasharray=\"4 3\"" : "") + " points=\"" + points + "\"/>\n";
}

std::vector<std::string> trend_slots(const core::RegressReport& report) {
    std::vector<std::string> slots = slot_names(report);
    for (const auto& p : report.trend) {
        if (index_of(slots, p.slot) == slots.size()) slots.push_back(p.slot);
    }
    return slots;
}

// The series of one slot in one chart: its polyline and points.
std::string series(const core::RegressReport& report, const Frame& f,
                   const std::vector<std::string>& nights, const std::string& slot,
                   const std::string& colour, const char* name, double max) {
    std::string line;
    std::string dots;
    const bool pass = std::string_view(name) == "pass_rate";
    for (const auto& p : report.trend) {
        const auto i = index_of(nights, p.night);
        if (p.slot != slot || i == nights.size()) continue;
        const double value = pass                              ? p.pass_rate * 100
                             : std::string_view(name) == "p50" ? p.p50_ms
                                                               : p.p95_ms;
        const double x = f.x(i, nights.size());
        const double y = f.y(value, max);
        line += (line.empty() ? "" : " ") + number(x) + "," + number(y);
        dots += point(x, y, colour, p, name, number(value, pass ? 0 : 1));
    }
    return polyline(line, colour, std::string_view(name) == "p95") + dots;
}

// A round number at or above `value` (1, 2, 5 × 10^n) for an axis' top.
double nice_max(double value) {
    if (value <= 0) return 1;
    const double step = std::pow(10.0, std::floor(std::log10(value)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * step >= value) return m * step;
    }
    return 10 * step;
}

// The flaky chart's axes: slots down the left, the flake rate along the bottom (0..100 %).
std::string flaky_axes(const Frame& f) {
    const double bottom = f.top + f.plot_h();
    std::string out = axis_lines(f);
    for (const double share : {0.0, 0.5, 1.0}) {
        out += text_at(f.left + f.plot_w() * share, bottom + 16, number(share * 100, 0) + " %",
                       share == 0.0   ? "start"
                       : share == 1.0 ? "end"
                                      : "middle");
    }
    return out +
           text_at(f.left + f.plot_w() / 2, f.height - 4,
                   "flake rate (share of nights that flipped)", "middle", " class=\"label\"") +
           "</g>\n";
}

}  // namespace

std::string slot_colour(std::size_t index) {
    return "hsl(" + std::to_string((index * 137) % 360) + "," +
           std::to_string(index % 2 == 0 ? 65 : 45) + "%,40%)";
}

std::string pass_rate_chart(const core::RegressReport& report) {
    const auto nights = nights_of(report);
    if (nights.empty()) return k_no_nights;
    const Frame f{960, 320};
    std::string out =
        svg_open(f, "pass rate per slot, last " + std::to_string(nights.size()) + " nights") +
        axes(f, nights, 100, "pass rate", " %");
    const auto slots = trend_slots(report);
    for (std::size_t i = 0; i < slots.size(); ++i) {
        out += "<g class=\"series\" data-slot=\"" + safe(slots[i]) + "\">\n" +
               series(report, f, nights, slots[i], slot_colour(i), "pass_rate", 100) + "</g>\n";
    }
    return out + "</svg>\n";
}

std::string slot_legend(const core::RegressReport& report) {
    if (report.trend.empty()) return "";
    std::string out = "<ul class=\"legend\">\n";
    const auto slots = trend_slots(report);
    for (std::size_t i = 0; i < slots.size(); ++i) {
        out += "<li><span class=\"swatch\" style=\"background:" + slot_colour(i) +
               "\"></span>slot " + safe(slots[i]) + "</li>\n";
    }
    return out + "</ul>\n";
}

std::string round_trip_charts(const core::RegressReport& report) {
    const auto nights = nights_of(report);
    if (nights.empty()) return k_no_nights;
    double top = 0;
    for (const auto& p : report.trend) top = std::max({top, p.p50_ms, p.p95_ms});
    const double max = nice_max(top);
    const Frame f{300, 170};
    const auto slots = trend_slots(report);
    std::string out = "<div class=\"multiples\">\n";
    for (std::size_t i = 0; i < slots.size(); ++i) {
        out += "<figure>\n" + svg_open(f, "round trip of slot " + slots[i] + ", p50 and p95") +
               axes(f, nights, max, "ms", "") +
               series(report, f, nights, slots[i], slot_colour(i), "p50", max) +
               series(report, f, nights, slots[i], slot_colour(i), "p95", max) +
               "</svg>\n<figcaption>slot " + safe(slots[i]) +
               " (solid p50, dashed p95)</figcaption>\n</figure>\n";
    }
    return out + "</div>\n";
}

std::string flaky_chart(const core::RegressReport& report) {
    std::vector<const core::SlotSummary*> flaky;
    for (const auto& s : report.slots) {
        if (s.flake_rate > 0) flaky.push_back(&s);
    }
    if (flaky.empty()) return "<p class=\"note\">no flaky slots</p>\n";
    const double bar = 22;
    const Frame f{960, 56 + bar * static_cast<double>(flaky.size()), 120, 16, 8, 48};
    std::string out = svg_open(f, "flake rate per slot") + flaky_axes(f);
    for (std::size_t i = 0; i < flaky.size(); ++i) {
        const auto& s = *flaky[i];
        const double y = f.top + bar * static_cast<double>(i) + 3;
        const double w = f.plot_w() * std::clamp(s.flake_rate, 0.0, 1.0);
        const std::string rate = number(s.flake_rate * 100, 0);
        out += text_at(f.left - 6, y + 13, "slot " + s.slot, "end") + "<rect x=\"" +
               number(f.left) + "\" y=\"" + number(y) + "\" width=\"" + number(w) + "\" height=\"" +
               number(bar - 6) + "\" fill=\"" + slot_colour(index_of(slot_names(report), s.slot)) +
               "\" data-slot=\"" + safe(s.slot) + "\" data-flake-rate=\"" +
               number(s.flake_rate, 3) + "\"><title>" +
               safe("slot " + s.slot + " flake rate " + rate + " %") + "</title></rect>\n";
    }
    return out + "</svg>\n";
}

}  // namespace station::report::regress_detail
