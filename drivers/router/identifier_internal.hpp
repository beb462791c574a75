// The identifier's private class, shared by identifier.cpp and identifier_steps.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <drivers/at/result_code.hpp>
#include <drivers/router/identifier.hpp>

namespace drivers::router::detail {

using station::core::Outcome;
using station::core::Reason;

// What applying a reader to one answer gave.
enum class Take { accepted, rejected, unparsed };

class Identifier {
  public:
    Identifier(at::AtChannel& channel, const IdentifyOptions& options)
        : m_channel(channel), m_options(options) {}

    IdentifyReport run(const IdentityPlan& plan);

  private:
    bool sync_first(const IdentityPlan& plan);
    bool first_answer_syncs(std::size_t index);
    bool run_step(const PlanStep& step);
    bool ask_form_again(StepRecord record, const at::FinalResult& final, Reader reader);
    // identifier_steps.cpp: skipping, setup steps on demand, the concatenated line.
    std::optional<std::string> already_known(const PlanStep& step);
    bool all_known(const PlanStep& step) const;
    bool known(Field field) const;
    bool sim_not_ready() const;
    bool run_setup(When when, Reader reader);
    void run_joined(std::size_t from);
    bool take_joined(const std::vector<std::size_t>& steps, const at::Response& response);
    void line_failed(const std::string& command, const station::core::Error& error);
    at::Result<at::Response> ask(const std::string& command, std::chrono::milliseconds timeout,
                                 bool expects_lines);
    at::Result<at::Response> ask_again(const std::string& command,
                                       std::chrono::milliseconds timeout, Reader reader);
    Take apply(const PlanStep& step, const std::string& command, const at::Response& response,
               std::string& note);
    Take take_imei(const std::string& command, const at::Response& response, std::string& note);
    Take take_iccid(const std::string& command, const at::Response& response, std::string& note);
    void finish_required(const PlanStep& step, const std::vector<std::string>& tried);
    void stop(Outcome outcome, Reason reason, std::string message);
    void fail_once(Reason reason, std::string message);
    void judge();
    bool cancelled() const {
        return m_options.stop != nullptr && m_options.stop->load(std::memory_order_relaxed);
    }
    std::string where(const std::string& command) const {
        return m_channel.port_path() + ": " + command;
    }

    at::AtChannel& m_channel;
    IdentifyOptions m_options;
    IdentifyReport m_report;
    bool m_stopped = false;
    std::optional<Reason> m_fail_reason;  // first unit fault seen; the plan goes on
    std::string m_fail_message;
    std::string m_ati_imei;
    std::string m_rejected_value;    // last invalid IMEI/ICCID of the current step, for messages
    std::string m_rejected_command;  // the command form that gave it
    const IdentityPlan* m_plan = nullptr;
    std::vector<bool> m_taken;      // per plan step: answered on the concatenated line
    std::vector<bool> m_setup_ran;  // per plan step: a When::plain_error/unparsed step sent
    ConcatMemory m_own_memory;      // when the caller shares none
};


}  // namespace drivers::router::detail
