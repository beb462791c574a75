// station rig learn | check | quarantined | release: write a rig file by plugging one router into
// each slot in turn, compare a rig file with what is plugged in now, and list or put back in
// service the slots a pallet run took out of service.
#include <poll.h>
#include <unistd.h>

#include <array>
#include <ostream>

#include <boost/program_options.hpp>

#include <drivers/usb/libusb_bus.hpp>
#include <drivers/usb/modem_manager.hpp>
#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/stop_signals.hpp>
#include <station/app/usage_error.hpp>
#include <station/app/verb_help.hpp>
#include <station/app/view_text.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>
#include <station/store/store.hpp>
#include <station/workflows/rig_check.hpp>
#include <station/workflows/rig_learn.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;
using fixtures::rig::SlotKind;
using station::core::sanitize_for_display;

constexpr std::size_t k_max_slots = 1024;

// True when the operator ended input at a terminal (Ctrl-D). Input that is not a terminal
// (a pipe, /dev/null) never stops learning: --timeout-s bounds it then.
bool operator_ended_input() {
    if (::isatty(STDIN_FILENO) == 0) return false;
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    if (::poll(&fd, 1, 0) <= 0) return false;
    char buf[256];
    return ::read(STDIN_FILENO, buf, sizeof buf) <= 0;
}

struct LearnArgs {
    std::string out;
    std::string labels;
    int slots = 0;
    int settle_ms = 2000;
    int timeout_s = 3600;
    bool force = false;
};

std::vector<std::string> split_labels(const std::string& text) {
    std::vector<std::string> labels;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = std::min(text.find(',', start), text.size());
        labels.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return labels;
}

// The labels to learn, checked the way the rig loader checks them.
std::vector<std::string> learn_labels(const LearnArgs& a) {
    if (!a.labels.empty() && a.slots != 0) throw UsageError("rig learn: give --labels or --slots");
    std::vector<std::string> labels;
    if (!a.labels.empty()) {
        labels = split_labels(a.labels);
    } else if (a.slots > 0 && static_cast<std::size_t>(a.slots) <= k_max_slots) {
        for (int i = 1; i <= a.slots; ++i) labels.push_back(std::to_string(i));
    } else {
        throw UsageError("rig learn: give --labels A1,A2,... or --slots N (1.." +
                         std::to_string(k_max_slots) + ")");
    }
    fixtures::rig::Rig probe;
    for (const auto& label : labels) {
        probe.slots.push_back({label, SlotKind::sim, "", "", "sim", {}, 0});
    }
    if (labels.size() > k_max_slots) throw UsageError("rig learn: too many labels");
    if (auto checked = fixtures::rig::parse_rig(fixtures::rig::render_rig(probe), "--labels");
        !checked) {
        throw UsageError("rig learn: bad --labels: " + checked.error().message);
    }
    return labels;
}

std::optional<LearnArgs> parse_learn(std::span<const std::string> args, Console console) {
    LearnArgs a;
    po::options_description desc("station rig learn options");
    desc.add_options()("help,h", "show this help")("out", po::value(&a.out)->required(),
                                                   "rig file to write")(
        "labels", po::value(&a.labels), "slot labels in plugging order, e.g. A1,A2,A3")(
        "slots", po::value(&a.slots), "or: N slots labelled 1..N")(
        "settle-ms", po::value(&a.settle_ms)->default_value(2000),
        "how long a router's ports must be stable before it counts")(
        "timeout-s", po::value(&a.timeout_s)->default_value(3600), "give up after this long")(
        "force", po::bool_switch(&a.force), "overwrite an existing --out file");
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: station rig learn --out FILE (--labels A1,A2,...|--slots N)\n"
                    << desc;
        return std::nullopt;
    }
    po::notify(vm);
    if (a.settle_ms < 0 || a.settle_ms > 60000) {
        throw UsageError("rig learn: --settle-ms must be 0..60000");
    }
    if (a.timeout_s < 1 || a.timeout_s > 86400) {
        throw UsageError("rig learn: --timeout-s must be 1..86400");
    }
    if (a.out.empty()) throw UsageError("rig learn: --out is empty");
    if (!a.force && ::access(a.out.c_str(), F_OK) == 0) {
        throw UsageError("rig learn: " + a.out + " exists (use --force to overwrite)");
    }
    return a;
}

void warn_about_modem_manager(Console console) {
    if (const auto pid = drivers::usb::find_modem_manager()) {
        console.err << "station: warning: " << drivers::usb::modem_manager_warning(*pid) << '\n';
    }
}

// Says what learning does, as it happens.
void show(const workflows::LearnEvent& e, std::ostream& out) {
    using Kind = workflows::LearnEvent::Kind;
    switch (e.kind) {
        case Kind::ignoring:
            out << "ignoring " << e.count << " router(s) already plugged in\n";
            return;
        case Kind::prompt:
            out << "plug a router into slot " << e.next << std::endl;
            return;
        case Kind::again:
            out << e.device.port_chain << " is slot " << e.label << " already; plug into slot "
                << e.next << std::endl;
            return;
        case Kind::learned:
            out << e.label << " = " << e.device.port_chain << " ("
                << workflows::device_text(e.device) << ")";
            if (!e.next.empty()) out << "; plug a router into slot " << e.next;
            out << std::endl;
            return;
    }
}

int run_learn(std::span<const std::string> args, Console console) {
    const auto parsed = parse_learn(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const LearnArgs& a = *parsed;
    workflows::LearnOptions options;
    options.labels = learn_labels(a);
    warn_about_modem_manager(console);
    auto bus = drivers::usb::open_libusb_bus();
    if (!bus) {
        print_error(console.err, "rig learn", bus.error().message);
        return static_cast<int>(ExitCode::error);
    }
    StopSignals signals;
    options.settle = std::chrono::milliseconds(a.settle_ms);
    options.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(a.timeout_s);
    options.stop = [] { return StopSignals::requested() || operator_ended_input(); };
    options.on_event = [&console](const workflows::LearnEvent& e) { show(e, console.out); };
    auto learnt = workflows::learn_rig(**bus, options);
    if (!learnt) {
        print_error(console.err, "rig learn", learnt.error().message);
        return static_cast<int>(ExitCode::error);
    }
    const auto& rig = learnt->rig;
    const auto end = learnt->end;
    if (rig.slots.empty()) {
        print_error(console.err, "rig learn", "no router arrived; " + a.out + " not written");
        return static_cast<int>(end == workflows::LearnEnd::stopped ? ExitCode::aborted
                                                                    : ExitCode::error);
    }
    if (auto saved = fixtures::rig::save_rig(rig, a.out); !saved) {
        print_error(console.err, "rig learn", saved.error().message);
        return static_cast<int>(ExitCode::error);
    }
    console.out << "wrote " << a.out << " (" << rig.slots.size() << " of "
                << options.labels.size() << " slots)\n";
    if (end == workflows::LearnEnd::done) return static_cast<int>(ExitCode::pass);
    console.err << "station: rig learn: "
                << (end == workflows::LearnEnd::stopped ? "stopped" : "timed out")
                << " before every slot was learned\n";
    return static_cast<int>(ExitCode::aborted);
}

int run_check(std::span<const std::string> args, Console console) {
    std::string file;
    po::options_description desc("station rig check options");
    desc.add_options()("help,h", "show this help")("rig", po::value(&file)->required(), "rig file");
    po::positional_options_description positional;
    positional.add("rig", 1);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(po::command_line_parser(argv).options(desc).positional(positional).run(), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: station rig check FILE\n" << desc;
        return static_cast<int>(ExitCode::pass);
    }
    po::notify(vm);
    auto rig = fixtures::rig::load_rig(file);
    if (!rig) throw UsageError("rig check: " + rig.error().message);
    warn_about_modem_manager(console);

    const auto check = workflows::check_rig(*rig, [] { return workflows::list_usb_devices(); });
    if (!check) {
        print_error(console.err, "rig check", check.error().message);
        return static_cast<int>(ExitCode::error);
    }
    for (const auto& problem : check->problems) console.out << problem << '\n';
    if (check->simulated > 0) {
        console.out << check->simulated << " simulated slot(s) not checked\n";
    }
    if (check->problems.empty()) {
        console.out << "rig OK: " << check->slots << " slots, " << check->devices << " devices\n";
        return static_cast<int>(ExitCode::pass);
    }
    console.out << check->problems.size() << " problem(s) in " << check->slots << " slots\n";
    return static_cast<int>(ExitCode::error);
}

constexpr const char* k_slot_usage[] = {"usage: station rig quarantined [--db FILE]\n",
                                        "usage: station rig release SLOT... [--db FILE]\n"};

struct SlotArgs {
    std::vector<std::string> slots;
    std::string db;
};

std::optional<SlotArgs> parse_slot_args(std::span<const std::string> args, const char* verb,
                                        bool want_slots, Console console) {
    SlotArgs a;
    po::options_description desc(std::string("station rig ") + verb + " options");
    desc.add_options()("help,h", "show this help")("db", po::value(&a.db), k_db_help);
    po::options_description hidden;
    hidden.add_options()("slot", po::value(&a.slots));
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description positional;
    positional.add("slot", -1);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(po::command_line_parser(argv)
                  .options(want_slots ? all : desc)
                  .positional(want_slots ? positional : po::positional_options_description{})
                  .run(),
              vm);
    if (vm.count("help") != 0U) {
        console.out << k_slot_usage[want_slots ? 1 : 0] << desc;
        return std::nullopt;
    }
    po::notify(vm);
    if (want_slots && a.slots.empty()) {
        throw UsageError(std::string("rig ") + verb + ": name the slot(s) to put back in service");
    }
    for (const auto& slot : a.slots) {
        if (slot.empty() || slot.size() > 256 || sanitize_for_display(slot, 256) != slot) {
            throw UsageError(std::string("rig ") + verb + ": bad slot name '" +
                             sanitize_for_display(slot, 64) + "'");
        }
    }
    return a;
}

// station rig quarantined: the slots out of service, why and since when.
int run_quarantined(std::span<const std::string> args, Console console) {
    const auto a = parse_slot_args(args, "quarantined", false, console);
    if (!a) return static_cast<int>(ExitCode::pass);
    store::OpenOptions options;
    options.access = store::Access::read_only;  // only reads: no write access needed
    auto store = store::Store::open(resolve_db_path(a->db, "rig quarantined"), options);
    if (!store) {
        print_error(console.err, "rig quarantined", store.error().message);
        return static_cast<int>(ExitCode::error);
    }
    const auto slots = store->quarantined_slots();
    if (!slots) {
        print_error(console.err, "rig quarantined", slots.error().message);
        return static_cast<int>(ExitCode::error);
    }
    if (slots->empty()) console.out << "no slot is quarantined\n";
    for (const auto& q : *slots) {
        console.out << sanitize_for_display(q.slot, 256) << "  since "
                    << core::iso_utc(q.since, false) << "  " << sanitize_for_display(q.why, 400)
                    << '\n';
    }
    return static_cast<int>(ExitCode::pass);
}

// station rig release SLOT...: puts quarantined slots back in service. A slot that is not
// quarantined is reported and makes the exit status 2; the others are still released.
int run_release(std::span<const std::string> args, Console console) {
    const auto a = parse_slot_args(args, "release", true, console);
    if (!a) return static_cast<int>(ExitCode::pass);
    auto store = store::Store::open(resolve_db_path(a->db, "rig release"));
    if (!store) {
        print_error(console.err, "rig release", store.error().message);
        return static_cast<int>(ExitCode::error);
    }
    int status = static_cast<int>(ExitCode::pass);
    for (const auto& slot : a->slots) {
        const auto released = store->release_slot(slot, std::chrono::system_clock::now());
        if (!released) {
            print_error(console.err, "rig release", released.error().message);
            status = static_cast<int>(ExitCode::error);
            continue;
        }
        console.out << "slot " << slot << " is back in service\n";
    }
    return status;
}

constexpr std::array k_rig_verbs{
    VerbRow{"learn", "write a rig file: plug one router into each slot in label order", &run_learn},
    VerbRow{"check", "compare the bench with a rig file", &run_check},
    VerbRow{"quarantined", "list the slots out of service, why and since when", &run_quarantined},
    VerbRow{"release", "put quarantined slots back in service", &run_release},
};

}  // namespace

int run_rig(std::span<const std::string> args, Console console) {
    if (args.empty()) throw UsageError("rig: give a verb: " + verb_list(k_rig_verbs));
    if (args.front() == "--help" || args.front() == "-h" || args.front() == "help") {
        return print_verb_help("rig", k_rig_verbs, console);
    }
    if (const auto* verb = find_verb(k_rig_verbs, args.front())) {
        return verb->run(args.subspan(1), console);
    }
    throw UsageError("rig: unknown verb '" + sanitize_for_display(args.front(), 64) + "' (" +
                     verb_list(k_rig_verbs) + ")");
}

}  // namespace station::app
