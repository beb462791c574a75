#include <station/app/alms_check_session.hpp>

#include <memory>
#include <mutex>

#include <station/app/alms_session.hpp>

namespace station::app {
namespace {

// One data center's look-up over its ALMS client, one caller at a time (a client is not
// thread-safe; its token is shared by the calls).
class ClientLookup final : public workflows::AlmsLookup {
  public:
    explicit ClientLookup(std::unique_ptr<AlmsSession> session) : m_session(std::move(session)) {}
    core::Result<std::vector<alms::RemoteSystem>> find_by_imei(const std::string& imei) override {
        const std::lock_guard lock(m_mutex);
        return m_session->client().find_by_imei(imei);
    }

  private:
    std::mutex m_mutex;
    std::unique_ptr<AlmsSession> m_session;
};

// A data center that could not be set up: every look-up fails with why.
class UnavailableLookup final : public workflows::AlmsLookup {
  public:
    explicit UnavailableLookup(std::string why) : m_why(std::move(why)) {}
    core::Result<std::vector<alms::RemoteSystem>> find_by_imei(const std::string&) override {
        return core::fail(core::Reason::alms_unavailable, m_why);
    }

  private:
    std::string m_why;
};

std::shared_ptr<workflows::AlmsLookup> open_lookup(core::DataCenter dc,
                                                   const std::string& credentials_file,
                                                   int attempts) {
    auto session = AlmsSession::open(dc, credentials_file, attempts);
    if (!session) {
        return std::make_shared<UnavailableLookup>(
            "ALMS " + std::string(core::to_string(dc)) +
            ": cannot look there, its settings did not load: " + session.error().message);
    }
    return std::make_shared<ClientLookup>(std::move(*session));
}

}  // namespace

workflows::AlmsCheckHook make_alms_check_hook(const std::string& credentials_file, int attempts) {
    return workflows::make_alms_check(
        open_lookup(core::DataCenter::na, credentials_file, attempts),
        open_lookup(core::DataCenter::eu, credentials_file, attempts));
}

}  // namespace station::app
