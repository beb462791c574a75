#include <station/core/zpl_label.hpp>

namespace station::core {
namespace {

// One text line at `y`: "^FO30,y^A0N,28,28^FD<text>^FS".
std::string text_line(int y, const std::string& text) {
    return "^FO30," + std::to_string(y) + "^A0N,28,28^FD" + text + "^FS\n";
}

// A Code 128 barcode at `y`, 50 dots high, without the printed interpretation line (the text
// line above says it).
std::string barcode(int y, const std::string& data) {
    return "^FO30," + std::to_string(y) + "^BY2^BCN,50,N,N,N^FD" + data + "^FS\n";
}

}  // namespace

std::string zpl_field(std::string_view raw, std::size_t max_len) {
    std::string out;
    for (const char c : raw) {
        if (out.size() >= max_len) break;
        const auto byte = static_cast<unsigned char>(c);
        const bool printable = byte >= 0x20 && byte <= 0x7e && c != '^' && c != '~';
        out += printable ? c : '?';
    }
    return out.empty() ? "-" : out;
}

std::string render_zpl(const LabelFields& fields) {
    const std::string fsn = zpl_field(fields.fsn, 32);
    const std::string imei = zpl_field(fields.imei, 32);
    const std::string iccid = zpl_field(fields.iccid, 32);
    std::string out = "^XA\n^CI0\n^PW812\n^LL406\n";
    out += text_line(20, "FSN " + fsn) + barcode(50, fsn);
    out += text_line(115, "IMEI " + imei) + barcode(145, imei);
    out += text_line(210, "ICCID " + iccid) + barcode(240, iccid);
    std::string dc = zpl_field(fields.data_center, 8);
    for (char& c : dc) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    out += text_line(310, "DC " + dc + "  PALLET " + zpl_field(fields.pallet, 40));
    out += text_line(345, "DATE " + zpl_field(fields.date, 10));
    out += "^XZ\n";
    return out;
}

}  // namespace station::core
