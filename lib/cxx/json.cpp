#include "json.hpp"

#include <cstdio>

namespace rc {

Json &Json::set(const std::string &key, Json v) {
  for (auto &kv : obj_)
    if (kv.first == key) {
      kv.second = std::move(v);
      return *this;
    }
  obj_.emplace_back(key, std::move(v));
  return *this;
}

Json &Json::push(Json v) {
  arr_.push_back(std::move(v));
  return *this;
}

size_t Json::size() const { return type_ == Type::Array ? arr_.size() : obj_.size(); }

std::string Json::quote(const std::string &s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    char buf[8];
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      // Strings here come from disks (serials, names): anything that
      // is not printable ASCII is escaped rather than trusted to be
      // UTF-8.
      if (c < 0x20 || c >= 0x7f) {
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out + "\"";
}

void Json::dump_to(std::string &out, int indent, int depth) const {
  auto newline = [&](int d) {
    if (indent > 0) {
      out += '\n';
      out.append(static_cast<size_t>(indent * d), ' ');
    }
  };
  switch (type_) {
  case Type::Null:
    out += "null";
    break;
  case Type::Bool:
    out += b_ ? "true" : "false";
    break;
  case Type::Int:
    out += std::to_string(i_);
    break;
  case Type::Uint:
    out += std::to_string(u_);
    break;
  case Type::String:
    out += quote(s_);
    break;
  case Type::Array:
    out += '[';
    for (size_t i = 0; i < arr_.size(); i++) {
      if (i)
        out += ',';
      newline(depth + 1);
      arr_[i].dump_to(out, indent, depth + 1);
    }
    if (!arr_.empty())
      newline(depth);
    out += ']';
    break;
  case Type::Object:
    out += '{';
    for (size_t i = 0; i < obj_.size(); i++) {
      if (i)
        out += ',';
      newline(depth + 1);
      out += quote(obj_[i].first);
      out += indent > 0 ? ": " : ":";
      obj_[i].second.dump_to(out, indent, depth + 1);
    }
    if (!obj_.empty())
      newline(depth);
    out += '}';
    break;
  }
}

std::string Json::dump(int indent) const {
  std::string out;
  dump_to(out, indent, 0);
  return out;
}

} // namespace rc
