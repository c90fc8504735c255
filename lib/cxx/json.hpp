// A minimal JSON value for the tools' --json output: objects keep their
// insertion order so output is stable and diffable.  Output only; the tools
// never parse JSON.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rc {

class Json {
public:
  enum class Type { Null, Bool, Int, Uint, String, Array, Object };

  Json() = default; // null
  Json(std::nullptr_t) {}
  Json(bool b) : type_(Type::Bool), b_(b) {}
  Json(int v) : type_(Type::Int), i_(v) {}
  Json(long v) : type_(Type::Int), i_(v) {}
  Json(long long v) : type_(Type::Int), i_(v) {}
  Json(unsigned v) : type_(Type::Uint), u_(v) {}
  Json(unsigned long v) : type_(Type::Uint), u_(v) {}
  Json(unsigned long long v) : type_(Type::Uint), u_(v) {}
  Json(const char *s) : type_(Type::String), s_(s) {}
  Json(std::string s) : type_(Type::String), s_(std::move(s)) {}

  static Json array() { return Json(Type::Array); }
  static Json object() { return Json(Type::Object); }

  Type type() const { return type_; }

  // Object: append (or replace) a member; returns *this for chaining.
  Json &set(const std::string &key, Json v);
  // Array: append an element.
  Json &push(Json v);
  size_t size() const;

  // Serialized text; @indent > 0 pretty-prints with that many spaces.
  std::string dump(int indent = 2) const;

  // JSON string literal of @s (quotes included), escaping controls and
  // non-UTF-8 bytes (as \u00XX) so the output is always valid JSON.
  static std::string quote(const std::string &s);

private:
  explicit Json(Type t) : type_(t) {}
  void dump_to(std::string &out, int indent, int depth) const;

  Type type_ = Type::Null;
  bool b_ = false;
  long long i_ = 0;
  unsigned long long u_ = 0;
  std::string s_;
  std::vector<Json> arr_;
  std::vector<std::pair<std::string, Json>> obj_;
};

} // namespace rc
