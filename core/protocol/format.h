// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Every JSON file of the run directory starts with a format header:
//     "format": {"name": "vigil.request", "version": "1.0"}
// A reader accepts any minor version of the major it knows (unknown fields
// are ignored) and rejects a newer major with a message that says to upgrade.

#include "protocol/result.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace vigil::protocol {

inline constexpr std::string_view kRunFormat = "vigil.run";
inline constexpr std::string_view kRequestFormat = "vigil.request";
inline constexpr std::string_view kDecisionFormat = "vigil.decision";
inline constexpr std::string_view kAckFormat = "vigil.ack";
inline constexpr std::string_view kTaskStateFormat = "vigil.task-state";
inline constexpr std::string_view kScanFormat = "vigil.scan";
inline constexpr std::string_view kSubmissionFormat = "vigil.submission";

// Hard size limit of every JSON file (run.json, request.json, decision.json,
// ack.json, state.json): larger files are refused unread.
inline constexpr std::size_t kMaxFileSize = 1024 * 1024;

struct FormatVersion
{
    int major = 0;
    int minor = 0;
};

// {"name": name, "version": "<kFormatMajor>.<kFormatMinor>"}
nlohmann::json formatHeader(std::string_view name);

// Checks doc["format"]; `file` names the file in messages ("request.json").
Result<FormatVersion> checkFormat(const nlohmann::json &doc, std::string_view name,
                                  std::string_view file);

// The program named in "this <reader> understands 1.x: upgrade it"
// ("vigil-job" by default; the desktop sets "Vigil" once at start-up).
void setReaderName(std::string name);
const std::string &readerName();

// Serialisation shared by vigil-job and vigil_job.py, byte for byte: keys
// sorted, two-space indent, UTF-8 unescaped, one trailing newline.
std::string dumpFile(const nlohmann::json &doc);
// One line without spaces (events.jsonl, command output).
std::string dumpLine(const nlohmann::json &doc);

// Parses `text` as one JSON document; the error names `file`.
Result<nlohmann::json> parseJson(std::string_view text, std::string_view file);

} // namespace vigil::protocol
