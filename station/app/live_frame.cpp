#include <station/app/live_frame.hpp>

#include <algorithm>

#include <station/core/sanitize.hpp>

namespace station::app::view {
namespace {

using workflows::EventKind;
namespace chr = std::chrono;

constexpr std::size_t k_min_width = 40;
constexpr std::size_t k_elapsed_width = 6;
constexpr std::size_t k_fsn_display = 64;
constexpr std::size_t k_min_detail = 24;  // the STEP / REASON column, at least

std::string clean(const std::string& text, std::size_t max = 512) {
    return core::sanitize_for_display(text, max);
}

std::string rtrim(std::string text) {
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
}

std::size_t widest_symbol(Glyphs glyphs) {
    std::size_t width = 0;
    for (const auto status : k_statuses) {
        width = std::max(width, display_width(symbol(status, glyphs)));
    }
    return width;
}

// A painted label padded to `width` columns (padding outside the colour).
std::string status_cell(Status status, std::string_view text, std::size_t width, bool colour) {
    const std::size_t have = display_width(text);
    return paint(text, status, colour) + std::string(width > have ? width - have : 0, ' ');
}

std::string step_text(const SlotRow& row) {
    std::string text = row.step;
    if (text.empty() && row.status == Status::running) text = "started";
    if (row.attempt > 1 && !text.empty()) text += " #" + std::to_string(row.attempt);
    return text;
}

std::string elapsed_text(const SlotRow& row, workflows::TimePoint now) {
    if (row.since) return format_elapsed(chr::duration_cast<chr::milliseconds>(now - *row.since));
    if (row.elapsed) return format_elapsed(*row.elapsed);
    return "-";
}

std::string reason_text(const SlotRow& row) {
    if (row.reason.empty()) return row.message;
    if (row.message.empty()) return row.reason;
    return row.reason + ": " + row.message;
}

bool needs_look(Status status) {
    return status == Status::fail || status == Status::error || status == Status::aborted ||
           status == Status::quarantined;
}

bool finished(Status status) {
    return status == Status::pass || status == Status::fail || status == Status::error ||
           status == Status::aborted;
}

// `head`, then "  ✔ PASS 3" for each (status, count) in order, as many as fit in `width`.
std::string with_counts(std::string head, const std::vector<std::pair<Status, long>>& counts,
                        const FrameStyle& style, std::size_t width) {
    std::size_t used = display_width(head);
    for (const auto& [status, n] : counts) {
        const std::string piece =
            std::string(label(status, style.glyphs)) + " " + std::to_string(n);
        if (used + 2 + display_width(piece) > width) break;
        head += "  " + paint(piece, status, style.colour && n > 0);
        used += 2 + display_width(piece);
    }
    return head;
}

// --watch: "Shift: 57 units  ✔ PASS 50  ✘ FAIL 5  ⚠ ERROR 2", every unit since the run began.
std::string shift_line(const LiveModel& model, const FrameStyle& style, std::size_t width) {
    const auto counts = model.unit_counts();
    long total = 0;
    std::vector<std::pair<Status, long>> shown;
    for (const auto status : k_statuses) {
        if (!finished(status)) continue;
        const auto found = counts.find(status);
        const long n = found == counts.end() ? 0 : found->second;
        total += n;
        if (n > 0 || status != Status::aborted) shown.emplace_back(status, n);
    }
    return with_counts("Shift: " + std::to_string(total) + (total == 1 ? " unit" : " units"), shown,
                       style, width);
}

std::vector<std::string> header(const LiveModel& model, const FrameStyle& style,
                                std::size_t width) {
    const auto elapsed = model.run_outcome ? model.run_elapsed
                         : model.run_started
                             ? chr::duration_cast<chr::milliseconds>(style.now - *model.run_started)
                             : chr::milliseconds{};
    std::string tail = "  " + format_elapsed(elapsed);
    std::string painted_tail = tail;
    if (model.run_outcome) {
        const Status status = status_of(*model.run_outcome);
        tail += "  " + std::string(label(status, style.glyphs));
        painted_tail += "  " + paint(label(status, style.glyphs), status, style.colour);
    }
    const std::string title = model.title.empty() ? "starting" : model.title;
    const std::size_t tail_width = display_width(tail);
    std::string first =
        fit(title, width > tail_width ? width - tail_width : 0, style.glyphs) + painted_tail;

    std::vector<std::pair<Status, long>> shown;
    for (const auto status : k_statuses) {
        const long n = std::count_if(model.rows.begin(), model.rows.end(),
                                     [&](const auto& r) { return r.second.status == status; });
        if (n > 0 || status == Status::pass || status == Status::fail || status == Status::error)
            shown.emplace_back(status, n);
    }
    std::string counts =
        with_counts(std::to_string(model.rows.size()) + " slots:", shown, style, width);
    if (!model.shift) return {first, counts};
    return {first, counts, shift_line(model, style, width)};
}

// What the last column says: the step in flight while a unit runs, else reason: message.
std::string detail_text(const SlotRow& row) {
    return row.status == Status::running ? step_text(row) : reason_text(row);
}

// SLOT FSN TIME STATUS STEP/REASON: the last column gets every column the others leave, so a
// reason reads on an 80-column terminal; what does not fit is cut with "…" (the summary after
// the run has the whole message).
std::vector<std::string> table(const LiveModel& model, const FrameStyle& style, std::size_t width) {
    std::size_t ws = 4;
    std::size_t wf = 3;
    for (const auto& [key, row] : model.rows) {
        ws = std::max(ws, display_width(row.slot));
        wf = std::max(wf, display_width(row.fsn));
    }
    ws = std::min<std::size_t>(ws, 14);
    wf = std::min<std::size_t>(wf, 16);
    std::size_t wstat = display_width("STATUS");  // as wide as the statuses on screen
    for (const auto& [key, row] : model.rows)
        wstat = std::max(wstat, display_width(label(row.status, style.glyphs)));
    const std::size_t others = ws + k_elapsed_width + wstat + 4;
    if (others + wf + k_min_detail > width) {  // narrow terminal: the FSN gives way first
        wf = std::max<std::size_t>(
            3, width > others + k_min_detail ? width - others - k_min_detail : 0);
    }
    const std::size_t fixed = others + wf;
    const std::size_t rest = width > fixed ? width - fixed : 0;

    const auto g = style.glyphs;
    std::vector<std::string> lines;
    lines.push_back(rtrim(fit("SLOT", ws, g) + " " + fit("FSN", wf, g) + " " +
                          fit("TIME", k_elapsed_width, g) + " " + fit("STATUS", wstat, g) + " " +
                          fit("STEP / REASON", rest, g)));
    for (const auto& [key, row] : model.rows) {
        std::string elapsed = elapsed_text(row, style.now);
        elapsed =
            std::string(k_elapsed_width - std::min(k_elapsed_width, elapsed.size()), ' ') + elapsed;
        lines.push_back(rtrim(fit(row.slot, ws, g) + " " +
                              fit(row.fsn.empty() ? "-" : row.fsn, wf, g) + " " +
                              fit(elapsed, k_elapsed_width, g) + " " +
                              status_cell(row.status, label(row.status, g), wstat, style.colour) +
                              " " + fit(detail_text(row), rest, g)));
    }
    return lines;
}

// Slots side by side, at most `max_lines` lines; the last line says how many did not fit.
std::vector<std::string> grid(const std::vector<const SlotRow*>& rows, const FrameStyle& style,
                              std::size_t width, std::size_t max_lines) {
    std::size_t ws = 2;
    for (const auto* row : rows)
        ws = std::min<std::size_t>(14, std::max(ws, display_width(row->slot)));
    const std::size_t wsym = widest_symbol(style.glyphs);
    const std::size_t per_line = std::max<std::size_t>(1, (width + 1) / (ws + 1 + wsym + 1));
    std::vector<std::string> lines;
    std::size_t i = 0;
    while (i < rows.size() && lines.size() < max_lines) {
        const bool last = lines.size() + 1 == max_lines && rows.size() - i > per_line;
        const std::size_t take = last ? per_line - 1 : std::min(per_line, rows.size() - i);
        std::string line;
        for (std::size_t k = 0; k < take; ++k, ++i) {
            const SlotRow& row = *rows[i];
            if (k > 0) line += " ";
            line += fit(row.slot, ws, style.glyphs) + " " +
                    status_cell(row.status, symbol(row.status, style.glyphs), wsym, style.colour);
        }
        if (last) line += (take > 0 ? " +" : "+") + std::to_string(rows.size() - i) + " more";
        if (last) i = rows.size();
        lines.push_back(rtrim(line));
    }
    return lines;
}

std::vector<std::string> compact(const LiveModel& model, const FrameStyle& style, std::size_t width,
                                 std::size_t max_lines) {
    std::vector<const SlotRow*> all;
    std::vector<const SlotRow*> not_pass;
    std::vector<const SlotRow*> look;
    for (const auto& [key, row] : model.rows) {
        all.push_back(&row);
        if (row.status != Status::pass) not_pass.push_back(&row);
        if (needs_look(row.status)) look.push_back(&row);
    }
    std::vector<std::string> lines = grid(all, style, width, max_lines + 1);
    if (lines.size() > max_lines) {  // even the grid is too tall: leave out the PASS slots
        lines = {std::to_string(all.size() - not_pass.size()) + " PASS slots not shown"};
        auto rest = grid(not_pass, style, width, max_lines - 1);
        lines.insert(lines.end(), rest.begin(), rest.end());
    }
    const auto g = style.glyphs;
    for (std::size_t k = 0; k < look.size() && lines.size() < max_lines; ++k) {
        const SlotRow& row = *look[k];
        if (lines.size() + 1 == max_lines && k + 1 < look.size()) {
            lines.push_back("+" + std::to_string(look.size() - k) + " more slots to look at");
            break;
        }
        const std::string head = row.slot + " ";
        const std::string tail =
            " " + (row.fsn.empty() ? std::string("-") : row.fsn) + " " + reason_text(row);
        const std::size_t used = display_width(head) + display_width(label(row.status, g));
        lines.push_back(rtrim(head + paint(label(row.status, g), row.status, style.colour) +
                              fit(tail, width > used ? width - used : 0, g)));
    }
    return lines;
}

// "xr90-na by manifest: " for a unit whose SKU was decided: the verdict says what it rests on.
std::string decided_by(const workflows::Event& e) {
    if (e.profile.empty() || !e.sku_basis) return "";
    return e.profile + " by " + std::string(to_string(*e.sku_basis)) + ": ";
}

}  // namespace

void LiveModel::apply(const workflows::Event& e) {
    if (e.kind == EventKind::run_started) {
        title = clean(e.message, 200);
        run_started = e.at - e.elapsed;
        return;
    }
    if (e.kind == EventKind::run_finished) {
        run_outcome = e.outcome.value_or(core::Outcome::error);
        run_elapsed = e.elapsed;
        return;
    }
    if (e.slot.empty()) return;
    auto [it, added] = rows.try_emplace(e.slot);
    SlotRow& row = it->second;
    if (added) row.slot = clean(e.slot, 40);
    const auto reset = [&](Status status) {
        row =
            SlotRow{row.slot, "", "", 0, status, "", clean(e.message), std::nullopt, std::nullopt};
    };
    if (e.kind == EventKind::unit_changed) {
        // Only while the slot still shows that unit (in watch mode the next one may be in).
        if (row.fsn != clean(e.fsn, k_fsn_display)) return;
        row.status = status_of(e.outcome.value_or(core::Outcome::error));
        row.reason = e.reason ? std::string(to_string(*e.reason)) : "";
        row.message = clean(e.message);
        return;
    }
    if (!e.fsn.empty()) row.fsn = clean(e.fsn, k_fsn_display);
    switch (e.kind) {
        case EventKind::slot_waiting:
            reset(Status::waiting);
            break;
        case EventKind::unit_departed:
            if (finished(row.status)) ++settled[row.status];  // the unit has left: count it
            reset(Status::waiting);
            break;
        case EventKind::slot_empty:
            reset(Status::empty);
            break;
        case EventKind::slot_skipped:
            reset(Status::skipped);
            break;
        case EventKind::slot_quarantined:
            row.status = Status::quarantined;
            row.reason = std::string(to_string(core::Reason::slot_quarantined));
            row.message = clean(e.message);
            row.since.reset();
            break;
        case EventKind::unit_started:
            if (e.attempt <= 1 && finished(row.status)) ++settled[row.status];  // next unit
            row = SlotRow{row.slot, row.fsn,          "",          e.attempt, Status::running, "",
                          "",       e.at - e.elapsed, std::nullopt};
            break;
        case EventKind::step_finished:
            row.step = clean(e.step, 40);
            row.attempt = e.attempt;
            break;
        case EventKind::unit_finished:
            row.status = status_of(e.outcome.value_or(core::Outcome::error));
            row.reason = e.reason ? std::string(to_string(*e.reason)) : "";
            row.message = clean(decided_by(e) + e.message);
            row.attempt = e.attempt;
            row.since.reset();
            row.elapsed = e.elapsed;
            break;
        case EventKind::unit_registered:  // the unit's result stays; the step says ALMS's word
            row.step = clean("alms " + e.step, 40);
            break;
        case EventKind::unit_changed:  // handled above
        case EventKind::run_started:
        case EventKind::run_finished:
            break;
    }
}

std::map<Status, int> LiveModel::unit_counts() const {
    std::map<Status, int> counts = settled;
    for (const auto& [key, row] : rows) {
        if (finished(row.status)) ++counts[row.status];
    }
    return counts;
}

bool LiveModel::ticking() const {
    return run_started.has_value() && !run_outcome.has_value();
}

std::vector<std::string> render_frame(const LiveModel& model, const FrameStyle& style) {
    const std::size_t width = std::max<std::size_t>(
        k_min_width, static_cast<std::size_t>(std::max(style.size.columns, 1) - 1));
    const std::size_t height = static_cast<std::size_t>(std::max(style.size.rows - 1, 4));
    std::vector<std::string> lines = header(model, style, width);
    const std::size_t room = height - lines.size();
    std::vector<std::string> body = lines.size() + 1 + model.rows.size() <= height
                                        ? table(model, style, width)
                                        : compact(model, style, width, room);
    lines.insert(lines.end(), body.begin(), body.end());
    return lines;
}

}  // namespace station::app::view
