#include "alms_standin.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <array>
#include <fstream>
#include <stdexcept>

#include <curl/curl.h>

namespace tests {
namespace {

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

}  // namespace

HttpReply http_exchange(const std::string& method, const std::string& url,
                        const std::string& body) {
    HttpReply reply;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return reply;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    const std::string ca = AlmsStandin::tls_cert_path();
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    if (method == "POST") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    if (curl_easy_perform(curl) == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return reply;
}

AlmsStandin::AlmsStandin(int token_ttl_s, Tls tls)
    : m_dir(std::make_unique<TempDir>()), m_tls(tls) {
    const std::string port_file = m_dir->path() + "/port";
    std::vector<std::string> argv{
        "/usr/bin/python3", STATION_ALMS_STANDIN,        "--port-file",  port_file,
        "--token-ttl",      std::to_string(token_ttl_s), "--exit-after", "600"};
    if (tls == Tls::on) {
        argv.insert(argv.end(), {"--tls-cert", tls_cert_path(), "--tls-key",
                                 std::string(STATION_ALMS_TLS_DIR) + "/standin-key.pem"});
    }
    m_process = std::make_unique<BackgroundProcess>(argv);
    if (!wait_for_file(port_file, std::chrono::milliseconds(10000))) {
        throw std::runtime_error("alms stand-in did not report its port");
    }
    std::ifstream in(port_file);
    in >> m_port;
    if (m_port <= 0) throw std::runtime_error("alms stand-in wrote no port");
}

AlmsStandin::~AlmsStandin() = default;

std::string AlmsStandin::tls_cert_path() {
    return std::string(STATION_ALMS_TLS_DIR) + "/standin-cert.pem";
}

std::string AlmsStandin::base_url(std::string_view tenant) const {
    return std::string(m_tls == Tls::on ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(m_port) + "/" + std::string(tenant);
}

nlohmann::json AlmsStandin::state() const {
    const auto reply = http_exchange("GET", base_url("_standin") + "/state");
    if (reply.status != 200) throw std::runtime_error("alms stand-in: state unavailable");
    return nlohmann::json::parse(reply.body);
}

nlohmann::json AlmsStandin::tenant(std::string_view t) const {
    return state().at("tenants").at(std::string(t));
}

void AlmsStandin::control(const std::string& what, const nlohmann::json& body) const {
    const auto reply = http_exchange("POST", base_url("_standin") + "/" + what, body.dump());
    if (reply.status != 200) throw std::runtime_error("alms stand-in: control " + what + " failed");
}

void AlmsStandin::add_faults(std::string_view t, const nlohmann::json& faults) const {
    control("faults", {{"tenant", t}, {"faults", faults}});
}

void AlmsStandin::seed_system(std::string_view t, const nlohmann::json& system) const {
    control("systems", {{"tenant", t}, {"system", system}});
}

void AlmsStandin::expire_tokens(std::string_view t) const {
    control("expire_tokens", {{"tenant", t}});
}

void AlmsStandin::accept_client_auth(std::string_view t, std::string_view accept) const {
    control("client_auth", {{"tenant", t}, {"accept", accept}});
}

void AlmsStandin::reset() const {
    control("reset", nlohmann::json::object());
}

void AlmsStandin::stop() {
    if (m_process) m_process->stop();
}

int closed_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("bind failed");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

void write_credentials_file(const std::string& path, const std::string& na_url,
                            const std::string& eu_url, unsigned mode) {
    {
        std::ofstream out(path, std::ios::trunc);
        out << "[na]\nclient_id = \"na-client\"\nclient_secret = \"na-secret\"\n"
            << "company_uid = \"na-company\"\nbase_url = \"" << na_url
            << "\"\nconnect_timeout_ms = 1000\nrequest_timeout_ms = 3000\n\n"
            << "[eu]\nclient_id = \"eu-client\"\nclient_secret = \"eu-secret\"\n"
            << "company_uid = \"eu-company\"\nbase_url = \"" << eu_url
            << "\"\nconnect_timeout_ms = 1000\nrequest_timeout_ms = 3000\n";
        if (!out) throw std::runtime_error("cannot write " + path);
    }
    ::chmod(path.c_str(), static_cast<mode_t>(mode));
}

}  // namespace tests
