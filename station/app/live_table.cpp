// The live table: events fold into a LiveModel under a mutex; frames are drawn over the
// previous one (cursor up, each line cleared to its end, the rest of the screen cleared). After
// a resize the old frame may have wrapped, so the next frame starts at the top of the screen.
#include <station/app/live_frame.hpp>
#include <station/app/pallet_view.hpp>

namespace station::app {

struct LiveTable::State {
    view::LiveModel model;
    bool dirty = true;
    std::chrono::steady_clock::time_point last_draw{};
};

LiveTable::LiveTable(std::ostream& out, std::unique_ptr<TerminalSize> size,
                     LiveTableOptions options)
    : m_out(out),
      m_size(size ? std::move(size) : std::make_unique<FixedTerminalSize>(TermSize{})),
      m_options(std::move(options)),
      m_state(std::make_unique<State>()) {
    m_state->model.shift = m_options.shift;
    if (m_options.tick.count() > 0) {
        m_ticker = std::jthread([this](std::stop_token stop) { tick_loop(stop); });
    }
}

LiveTable::~LiveTable() {
    if (m_ticker.joinable()) {
        m_ticker.request_stop();
        m_ticker.join();
    }
    redraw();
}

void LiveTable::on_event(const workflows::Event& event) {
    {
        std::lock_guard lock(m_mutex);
        m_state->model.apply(event);
        m_state->dirty = true;
    }
    // With a ticker, slot threads never write to the terminal themselves.
    if (!m_ticker.joinable()) refresh();
}

void LiveTable::refresh() {
    std::lock_guard out_lock(m_out_mutex);
    {
        std::lock_guard lock(m_mutex);
        if (!m_state->dirty && !m_state->model.ticking()) return;
        if (std::chrono::steady_clock::now() - m_state->last_draw < m_options.min_interval) return;
    }
    draw_locked_out();
}

void LiveTable::redraw() {
    std::lock_guard out_lock(m_out_mutex);
    draw_locked_out();
}

std::vector<std::string> LiveTable::frame() const {
    const view::FrameStyle style{m_size->size(), m_options.glyphs, m_options.colour,
                                 m_options.now()};
    std::lock_guard lock(m_mutex);
    return view::render_frame(m_state->model, style);
}

void LiveTable::draw_locked_out() {
    const view::FrameStyle style{m_size->size(), m_options.glyphs, m_options.colour,
                                 m_options.now()};
    std::vector<std::string> lines;
    {
        std::lock_guard lock(m_mutex);
        lines = view::render_frame(m_state->model, style);
        m_state->dirty = false;
        m_state->last_draw = std::chrono::steady_clock::now();
    }
    std::string text;
    const bool resized =
        style.size.columns != m_last_size.columns || style.size.rows != m_last_size.rows;
    if (m_last_lines > 0 && resized) {
        text += "\x1b[H\x1b[J";  // the old frame may have wrapped: start again at the top
    } else if (m_last_lines > 0) {
        text += "\r\x1b[" + std::to_string(m_last_lines) + "A";
    }
    for (const auto& line : lines) text += line + "\x1b[K\n";
    text += "\x1b[J";
    m_out << text << std::flush;
    m_last_lines = lines.size();
    m_last_size = style.size;
}

void LiveTable::tick_loop(std::stop_token stop) {
    std::mutex idle;
    while (!stop.stop_requested()) {
        {
            std::unique_lock lock(idle);
            m_wake.wait_for(lock, stop, m_options.tick, [] { return false; });
        }
        if (!stop.stop_requested()) refresh();
    }
}

}  // namespace station::app
