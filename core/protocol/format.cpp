// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/format.h"

#include "protocol/text.h"
#include "protocol/version.h"

namespace vigil::protocol {

namespace {

std::string &readerNameStorage()
{
    static std::string name = "vigil-job";
    return name;
}

bool parseVersion(const std::string &text, FormatVersion &out)
{
    const std::size_t dot = text.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 >= text.size() || dot > 4 ||
        text.size() - dot - 1 > 4)
        return false;
    int parts[2] = {0, 0};
    for (int i = 0; i < 2; ++i) {
        const std::size_t from = i == 0 ? 0 : dot + 1;
        const std::size_t to = i == 0 ? dot : text.size();
        for (std::size_t p = from; p < to; ++p) {
            if (text[p] < '0' || text[p] > '9')
                return false;
            parts[i] = parts[i] * 10 + (text[p] - '0');
        }
    }
    out = {parts[0], parts[1]};
    return true;
}

} // namespace

nlohmann::json formatHeader(std::string_view name)
{
    return {{"name", std::string(name)},
            {"version", std::to_string(kFormatMajor) + "." + std::to_string(kFormatMinor)}};
}

Result<FormatVersion> checkFormat(const nlohmann::json &doc, std::string_view name,
                                  std::string_view file)
{
    const std::string f(file);
    if (!doc.is_object())
        return Error(f + ": expected a JSON object", Error::Kind::Malformed);
    const auto it = doc.find("format");
    if (it == doc.end())
        return Error(f + ": field \"format\" is missing (not a " + std::string(name) + " file)",
                     Error::Kind::Malformed);
    if (!it->is_object())
        return Error(f + ": field \"format\": expected an object", Error::Kind::Malformed);
    const auto n = it->find("name");
    if (n == it->end() || !n->is_string())
        return Error(f + ": field \"format.name\": expected a string", Error::Kind::Malformed);
    if (n->get_ref<const std::string &>() != name)
        return Error(f + ": field \"format.name\" is " + quote(n->get_ref<const std::string &>()) +
                         ", expected " + quote(name),
                     Error::Kind::Malformed);
    const auto v = it->find("version");
    FormatVersion version;
    if (v == it->end() || !v->is_string() ||
        !parseVersion(v->get_ref<const std::string &>(), version))
        return Error(f + ": field \"format.version\": expected a string \"MAJOR.MINOR\"",
                     Error::Kind::Malformed);
    const std::string shown = v->get_ref<const std::string &>();
    if (version.major > kFormatMajor)
        return Error(f + " has format version " + shown + "; this " + readerName() +
                         " understands " + std::to_string(kFormatMajor) + ".x: upgrade it",
                     Error::Kind::Unsupported);
    if (version.major < kFormatMajor)
        return Error(f + " has format version " + shown + ", older than " +
                         std::to_string(kFormatMajor) + ".0: not supported",
                     Error::Kind::Unsupported);
    return version;
}

void setReaderName(std::string name)
{
    readerNameStorage() = std::move(name);
}

const std::string &readerName()
{
    return readerNameStorage();
}

std::string dumpFile(const nlohmann::json &doc)
{
    std::string out = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
    return out;
}

std::string dumpLine(const nlohmann::json &doc)
{
    return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<nlohmann::json> parseJson(std::string_view text, std::string_view file)
{
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception &e) {
        // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 2: ...";
        // out_of_range.406 for numbers such as 1e999.
        std::string why = e.what();
        const std::size_t p = why.find("] ");
        if (p != std::string::npos)
            why = why.substr(p + 2);
        return Error(std::string(file) + ": not valid JSON: " + why, Error::Kind::Malformed);
    }
}

} // namespace vigil::protocol
