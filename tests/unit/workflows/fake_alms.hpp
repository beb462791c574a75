// An ALMS data center in memory, as an alms::Transport: tokens, look-up by IMEI, create, the
// subscription update (PUT /api/v1/systems/<uid>). Tests
// script what one request answers (a fault, or a create that takes effect and then loses its
// answer) and read what ALMS holds. Thread-safe, so two pushers can share it.
#pragma once

#include <cctype>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <station/alms/transport.hpp>

namespace tests {

class FakeAlms final : public station::alms::Transport {
  public:
    using Request = station::alms::HttpRequest;
    using Response = station::alms::HttpResponse;

    struct System {
        std::string uid;
        std::string imei;
        std::string serial;
        std::string iccid;
    };
    enum class Call { token, lookup, create, update };
    // One scripted answer: for the next request of `call`. `apply` (creates, updates): the
    // change is made before `answer` is given (an answer lost after it took effect).
    struct Scripted {
        Call call = Call::create;
        Response answer;
        bool apply = false;
    };

    Response send(const Request& request) override {
        const std::lock_guard lock(m_mutex);
        const Call call = call_of(request);
        ++m_counts[static_cast<std::size_t>(call)];
        if (m_on_send) m_on_send(call);
        for (auto it = m_script.begin(); it != m_script.end(); ++it) {
            if (it->call != call) continue;
            Scripted scripted = *it;
            m_script.erase(it);
            if (scripted.apply && call == Call::create) (void)create(request);
            if (scripted.apply && call == Call::update) (void)update(request);
            return scripted.answer;
        }
        switch (call) {
            case Call::token:
                return ok(R"({"access_token":"t","token_type":"bearer","expires_in":3600})");
            case Call::lookup:
                return ok(lookup(request.url).dump());
            case Call::create:
                return ok(nlohmann::json{{"uid", create(request)}}.dump());
            case Call::update:
                return update(request) ? ok("{}") : status(404, R"({"error":"system.not.found"})");
        }
        return {};
    }

    void reset() {
        const std::lock_guard lock(m_mutex);
        m_systems.clear();
        m_script.clear();
        m_on_send = nullptr;
        for (int& n : m_counts) n = 0;
    }
    void script(Scripted scripted) {
        const std::lock_guard lock(m_mutex);
        m_script.push_back(std::move(scripted));
    }
    void seed(System system) {
        const std::lock_guard lock(m_mutex);
        m_systems.push_back(std::move(system));
    }
    // Called (under the fake's lock) for every request, before it is answered.
    void on_send(std::function<void(Call)> hook) {
        const std::lock_guard lock(m_mutex);
        m_on_send = std::move(hook);
    }
    std::vector<System> systems() const {
        const std::lock_guard lock(m_mutex);
        return m_systems;
    }
    int count(Call call) const {
        const std::lock_guard lock(m_mutex);
        return m_counts[static_cast<std::size_t>(call)];
    }

    static Response status(long code, std::string body = "{}") {
        Response r;
        r.status = code;
        r.body = std::move(body);
        return r;
    }
    static Response failure(station::alms::TransportError error) {
        Response r;
        r.error = error;
        r.error_message = "scripted " + std::string(station::alms::to_string(error));
        return r;
    }

  private:
    static Response ok(std::string body) { return status(200, std::move(body)); }

    static Call call_of(const Request& request) {
        if (request.url.find("/oauth/token") != std::string::npos) return Call::token;
        if (request.method == station::alms::Method::put) return Call::update;
        return request.method == station::alms::Method::get ? Call::lookup : Call::create;
    }

    static std::string imei_in(const std::string& url) {
        for (const std::string key : {"imei%3A", "imei%3a", "imei:"}) {
            const auto at = url.find(key);
            if (at == std::string::npos) continue;
            std::string digits;
            for (auto i = at + key.size(); i < url.size() && std::isdigit(url[i]) != 0; ++i)
                digits += url[i];
            return digits;
        }
        return {};
    }

    nlohmann::json lookup(const std::string& url) const {
        const std::string imei = imei_in(url);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& s : m_systems) {
            if (s.imei != imei) continue;
            items.push_back({{"uid", s.uid},
                             {"name", s.serial},
                             {"gateway", {{"imei", s.imei}, {"serialNumber", s.serial}}},
                             {"subscription", {{"identifier", s.iccid}, {"networkIdentifier", ""}}}});
        }
        return {{"items", items}};
    }

    std::string create(const Request& request) {
        const auto body = nlohmann::json::parse(request.body);
        System s{"uid-" + std::to_string(m_systems.size() + 1),
                 body.at("gateway").at("imei").get<std::string>(),
                 body.at("gateway").at("serialNumber").get<std::string>(),
                 body.at("subscription").at("identifier").get<std::string>()};
        m_systems.push_back(s);
        return s.uid;
    }

    // PUT /api/v1/systems/<uid>[?company=..]: the subscription's identifier; false: no system.
    bool update(const Request& request) {
        const auto at = request.url.find("/api/v1/systems/");
        if (at == std::string::npos) return false;
        std::string uid = request.url.substr(at + std::string("/api/v1/systems/").size());
        uid = uid.substr(0, uid.find('?'));
        const auto body = nlohmann::json::parse(request.body);
        for (auto& s : m_systems) {
            if (s.uid != uid) continue;
            s.iccid = body.at("subscription").at("identifier").get<std::string>();
            return true;
        }
        return false;
    }

    mutable std::mutex m_mutex;
    std::vector<System> m_systems;
    std::deque<Scripted> m_script;
    std::function<void(Call)> m_on_send;
    int m_counts[4] = {0, 0, 0, 0};
};

}  // namespace tests
